from ._shapes import DataHolder


class ActionWrapper(DataHolder):
    """The object of an action answer: get_data() lists SuccessResponse / APIException items."""
