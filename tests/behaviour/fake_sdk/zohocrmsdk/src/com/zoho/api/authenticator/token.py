from abc import ABC, abstractmethod


class Token(ABC):
    """What the SDK asks of a credential: to put itself on a request."""

    @abstractmethod
    def authenticate(self, url_connection):
        pass

    @abstractmethod
    def generate_token(self):
        pass
