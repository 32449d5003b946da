class Territory(object):
    def __init__(self):
        self.__id = None
        self.__name = None

    def get_id(self):
        return self.__id

    def set_id(self, id):
        self.__id = id

    def get_name(self):
        return self.__name

    def set_name(self, name):
        self.__name = name

    def to_json(self):
        return {k: v for k, v in (("id", self.__id), ("name", self.__name)) if v is not None}
