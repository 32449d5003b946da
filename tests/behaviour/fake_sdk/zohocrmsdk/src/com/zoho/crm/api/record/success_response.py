from ._shapes import ActionItem


class SuccessResponse(ActionItem):
    """A data[] item whose status is "success": also a scheduled one (the SDK does not model SCHEDULED)."""
