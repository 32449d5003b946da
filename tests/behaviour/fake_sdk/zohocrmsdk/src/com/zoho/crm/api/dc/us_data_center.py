from .data_center import DataCenter


class USDataCenter(DataCenter):
    @classmethod
    def PRODUCTION(cls):
        return DataCenter.Environment("https://www.zohoapis.com", cls().get_iam_url(), cls().get_file_upload_url())

    @classmethod
    def SANDBOX(cls):
        return DataCenter.Environment("https://sandbox.zohoapis.com", cls().get_iam_url(), cls().get_file_upload_url())

    @classmethod
    def DEVELOPER(cls):
        return DataCenter.Environment("https://developer.zohoapis.com", cls().get_iam_url(), cls().get_file_upload_url())

    def get_iam_url(self):
        return "https://accounts.zoho.com/oauth/v2/token"

    def get_file_upload_url(self):
        return "https://content.zohoapis.com"
