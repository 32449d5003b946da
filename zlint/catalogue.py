"""The endpoint catalogue (rules/catalogue.json) as typed, read-only data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from zlint.resources import load_json


@dataclass(frozen=True)
class SdkMethod:
    name: str
    operation: str  # "assign" | "remove"
    scope: str  # "bulk" | "record"


@dataclass(frozen=True)
class SdkRoot:
    root: str  # dotted import path of the SDK's record package
    version: str | None  # API version when the root alone tells it
    distributions: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    versions: dict[str, str]  # version -> era ("v2-v6" | "v7+")
    version_contracts: dict[str, tuple[str, ...]]  # version -> contracts it may answer with
    contract_schemas: dict[str, str]  # contract -> schema file under schemas/
    stale_contracts: frozenset[str]  # contracts that pin behaviour the API no longer has
    actions: tuple[str, ...]  # URL action segments of the territory endpoints
    job_status_action: str
    job_status_feature: str
    sdk_class: str
    sdk_success_class: str
    sdk_roots: tuple[SdkRoot, ...]
    sdk_methods: dict[str, SdkMethod]
    sdk_record_readers: tuple[str, ...]
    sdk_response_json_method: str
    legacy_messages: tuple[str, ...]

    def era(self, version: str | None) -> str | None:
        """"v2-v6" or "v7+" for a version segment such as "v2.1"; None when unknown."""
        if version is None:
            return None
        if version in self.versions:
            return self.versions[version]
        match = re.fullmatch(r"v(\d+)(?:\.\d+)?", version)
        if not match:
            return None
        return "v7+" if int(match.group(1)) >= 7 else "v2-v6"

    def contracts_for(self, version: str | None) -> tuple[str, ...]:
        """Contracts an answer of this version may follow (all of them when the version is unknown)."""
        if version in self.version_contracts:
            return self.version_contracts[version]
        era = self.era(version)
        eras = [v for v, e in self.versions.items() if era is None or e == era]
        return tuple(dict.fromkeys(c for v in eras for c in self.version_contracts[v]))

    def sdk_root_for(self, qualified_name: str) -> SdkRoot | None:
        for root in self.sdk_roots:
            if qualified_name == root.root or qualified_name.startswith(root.root + "."):
                return root
        return None

    @property
    def prefilter_tokens(self) -> tuple[str, ...]:
        """Words of which a file must contain one (or else build an endpoint's name, see
        ``builds_action_name``) to hold a territory call: the endpoints' and SDK methods' names."""
        return self.actions + tuple(self.sdk_methods)


# an endpoint's name as code that builds it writes the end: f"{op}_territories", op + "_territories",
# "%s_territories" % op, "{}_territories".format(op) (not self._territories, an attribute of the user's)
# ``f"{op}_territories"``, ``"%s_territories" % op``, ``"assign_" "territories"``, ``"_".join(("assign", "territories"))``
BUILT_ACTION = re.compile(rb"""(?:[}"']|%s)_territories\b|["']territories\b""")


def builds_action_name(source: bytes) -> bool:
    """Whether code builds an endpoint's name from its parts (a file that does may call one)."""
    return b"territories" in source and BUILT_ACTION.search(source) is not None


@cache
def load_catalogue() -> Catalogue:
    raw = load_json("rules", "catalogue.json")
    actions = tuple(sorted({e["path"].rsplit("/", 1)[-1] for e in raw["endpoints"]}))
    sdk = raw["sdk"]
    return Catalogue(
        versions={name: spec["era"] for name, spec in raw["versions"].items()},
        version_contracts={name: tuple(spec["contracts"]) for name, spec in raw["versions"].items()},
        contract_schemas={name: spec["schema"] for name, spec in raw["contracts"].items()},
        stale_contracts=frozenset(name for name, spec in raw["contracts"].items() if spec["stale"]),
        actions=actions,
        job_status_action=raw["job_status"]["action"],
        job_status_feature=raw["job_status"]["feature"],
        sdk_class=sdk["class"],
        sdk_success_class=sdk["success_class"],
        sdk_roots=tuple(
            SdkRoot(r["root"], r["version"], tuple(r["distributions"])) for r in sdk["import_roots"]
        ),
        sdk_methods={m["name"]: SdkMethod(m["name"], m["operation"], m["scope"]) for m in sdk["methods"]},
        sdk_record_readers=tuple(sdk["record_readers"]),
        sdk_response_json_method=sdk["response_json_method"],
        legacy_messages=tuple(raw["legacy_messages"]),
    )
