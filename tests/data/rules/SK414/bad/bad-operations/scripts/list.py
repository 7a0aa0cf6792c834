async def go(call_boto3):
    await call_boto3(service_name='s3', operation_name='list_objects_v2')
    await call_boto3(service_name='s3', operation_name='ListObjectsV3')
    await call_boto3(service_name='s4', operation_name='ListBuckets')
    await call_boto3('s3', 'ListBuckets')
