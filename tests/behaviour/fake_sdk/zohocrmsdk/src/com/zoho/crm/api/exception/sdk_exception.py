class SDKException(Exception):
    """An error of the SDK itself (bad argument, network failure), not an error answer of the API."""

    def __init__(self, code=None, message=None, details=None, cause=None):
        super().__init__(code, message, details, cause)
        self.code, self.message, self.details, self.cause = code, message, details, cause

    def __str__(self):
        return f"{self.code}: {self.message or self.cause}"
