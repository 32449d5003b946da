from ..exception import SDKException


class Record(object):
    """A CRM record: id plus any field by API name (add_key_value("Territories", [Territory, ...]))."""

    def __init__(self):
        self.__key_values = dict()

    def get_id(self):
        return self.get_key_value("id")

    def set_id(self, id):
        if id is not None and not isinstance(id, int):
            raise SDKException("DATA TYPE ERROR", "KEY: id EXPECTED TYPE: int")
        self.add_key_value("id", id)

    def add_key_value(self, api_name, value):
        self.__key_values[api_name] = value

    def get_key_value(self, api_name):
        return self.__key_values.get(api_name)

    def get_key_values(self):
        return self.__key_values

    def to_json(self):
        def plain(value):
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value.to_json() if hasattr(value, "to_json") else value

        return {name: plain(value) for name, value in self.__key_values.items()}
