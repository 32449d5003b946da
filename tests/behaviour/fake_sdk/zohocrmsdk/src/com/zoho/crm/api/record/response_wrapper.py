from ._shapes import DataHolder


class ResponseWrapper(DataHolder):
    """The object of a read answer: get_data() lists Record objects."""
