from ._shapes import ActionItem


class APIException(ActionItem):
    """An error answer: a data[] item with status "error", or a whole error body without data."""
