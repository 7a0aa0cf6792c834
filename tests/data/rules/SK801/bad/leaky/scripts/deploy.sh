#!/bin/sh
export AWS_ACCESS_KEY_ID=AKIAQYLPMN7ZR2K4TXWB
export AWS_SECRET_ACCESS_KEY=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
curl -H "Authorization: token ghp_R8xk2LmQ9vT4nZ7pW3yB6cJ1hF5dS0aGeUoK" https://api.github.com/user
