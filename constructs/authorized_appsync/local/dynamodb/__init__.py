"""The DynamoDB data source: APPSYNC_JS request objects executed through boto3. See
../README.md."""
