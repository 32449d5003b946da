"""Admin views (stubs for the example)."""


def remove_territories(request, pk):
    return None
