from abc import ABC, abstractmethod


class DataCenter(ABC):
    """Where an org's data lives: the API domain and the accounts (OAuth) URL."""

    @abstractmethod
    def get_iam_url(self):
        pass

    @abstractmethod
    def get_file_upload_url(self):
        pass

    class Environment(object):
        def __init__(self, url, accounts_url, file_upload_url):
            self.url = url  # the API domain: the SDK appends "/crm/v8/..." to it
            self.accounts_url = accounts_url
            self.file_upload_url = file_upload_url
