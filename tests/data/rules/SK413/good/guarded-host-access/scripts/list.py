"""List a bucket in the run_script sandbox."""

import json


async def keys(call_boto3, bucket):
    page = await call_boto3(service_name="s3", operation_name="ListObjectsV2",
                            params={"Bucket": bucket})
    return [o["Key"] for o in page.get("Contents", [])]


def main():
    import argparse

    import boto3

    args = argparse.ArgumentParser().parse_args()
    with open("out.json", "w") as handle:
        json.dump(boto3.client("s3").list_buckets(), handle, default=str)
    return args


if __name__ == "__main__":
    main()
