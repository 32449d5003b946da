class Choice(object):
    """A value out of a fixed set (codes, statuses, messages): read it with get_value()."""

    def __init__(self, value):
        self.__value = value

    def get_value(self):
        return self.__value
