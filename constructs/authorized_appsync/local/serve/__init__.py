"""The ``serve`` and ``token`` commands: the API, a Cognito stand-in and random credentials
for one run. See ../README.md."""
