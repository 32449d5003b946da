from ._shapes import DataHolder


class BodyWrapper(DataHolder):
    """The request body of the record calls: {"data": [record, ...]}."""

    def to_json(self):
        return {"data": [record.to_json() for record in self.get_data() or []]}
