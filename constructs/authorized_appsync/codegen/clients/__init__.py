"""What client libraries read about the API: Amplify's model introspection schema."""
