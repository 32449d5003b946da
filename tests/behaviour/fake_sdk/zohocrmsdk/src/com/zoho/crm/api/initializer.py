class Initializer(object):
    """The SDK's global configuration: ``Initializer.get_initializer().environment`` / ``.token``."""

    initializer = None

    def __init__(self):
        self.environment = None
        self.store = None
        self.token = None
        self.sdk_config = None
        self.request_proxy = None
        self.resource_path = None

    @staticmethod
    def initialize(environment, token, store=None, sdk_config=None, resource_path=None, logger=None, proxy=None):
        initializer = Initializer()
        initializer.environment = environment
        initializer.token = token
        initializer.store = store
        initializer.sdk_config = sdk_config
        initializer.resource_path = resource_path
        initializer.request_proxy = proxy
        Initializer.initializer = initializer
        token.generate_token()

    @staticmethod
    def get_initializer():
        return Initializer.initializer
