"""One module per output format; ``render`` picks the one a format name asks for."""

from __future__ import annotations

FORMATS = ("text", "concise", "json", "sarif", "github")


def render(output_format: str, result, config, root, list_calls: bool = False) -> str:
    if output_format == "json":
        from zlint.reporters import json_output

        return json_output.render(result, include_calls=list_calls)
    if output_format == "sarif":
        from zlint.reporters import sarif

        return sarif.render(result, config, root)
    if output_format == "github":
        from zlint.reporters import github

        return github.render(result)
    from zlint.reporters import text

    if list_calls:
        return text.render_calls(result)
    return text.render(result, concise=output_format == "concise")
