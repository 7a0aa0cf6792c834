import boto3
import urllib.request
from http.client import HTTPSConnection


def go():
    return boto3, urllib.request, HTTPSConnection
