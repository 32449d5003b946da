from .token import Token


class OAuthToken(Token):
    """An OAuth token. This fake takes an access token only (no grant or refresh flow, no store)."""

    def __init__(self, client_id=None, client_secret=None, grant_token=None, refresh_token=None, redirect_url=None,
                 id=None, access_token=None, user_signature=None, api_domain=None, find_user=True):
        if access_token is None:
            from ...crm.api.exception import SDKException

            raise SDKException("MANDATORY VALUE ERROR", "the fake SDK needs access_token")
        self.__client_id = client_id
        self.__refresh_token = refresh_token
        self.__access_token = access_token
        self.__api_domain = api_domain

    def get_client_id(self):
        return self.__client_id

    def get_refresh_token(self):
        return self.__refresh_token

    def get_access_token(self):
        return self.__access_token

    def set_access_token(self, access_token):
        self.__access_token = access_token

    def get_api_domain(self):
        return self.__api_domain

    def generate_token(self):
        self.get_token()

    def get_token(self):
        """The access token (the real SDK refreshes it first when it has expired)."""
        return self.__access_token

    def authenticate(self, url_connection):
        url_connection.setdefault("Authorization", "Zoho-oauthtoken " + self.get_token())
