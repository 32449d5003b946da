"""Several assign/remove calls for the same record: inside a loop, or one after another, with no
wait for the job in between."""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import View
from zlint.analysis.mocks import mocked_test
from zlint.analysis.module import descendants
from zlint.checks.base import Invalid, Rule
from zlint.findings import Finding
from zlint.rewrites.jobwait import wait_edits

_BODY_KEYWORDS = ("json", "data", "body")


class RepeatedCallInLoop(Rule):
    """Several assign/remove calls for the same record inside a loop."""

    CODE = "ZL108"
    NAME = "repeated-call-in-loop"
    WHY = ("on v2-v6 and v7+ alike the first call schedules a job for the record; the next call for the "
           "same record meets 400 ALREADY_SCHEDULED while that job is pending")
    FIX = ("send all territories of a record in one call (up to 10; a Deal takes 1), "
           "or wait for each job before the next call")

    def check(self, view: View) -> Iterator[Finding]:
        for call, flow in view.territory_flows():
            for loop in view.body.loops:
                if not view.ctx.is_within(call, loop.body):
                    continue
                targets = self._targets(view, loop.target)
                if not targets or not self._depends(view, call.args, targets, within=loop.body):
                    continue
                record = self._record_expression(view, call)
                direct = view.territory_call(call)
                raw = direct is not None and not direct.client.startswith("zohocrmsdk")
                url = _url_argument(call) if raw else None  # it names the module
                if record is None or self._depends(view, [record, *([url] if url is not None else [])], targets):
                    continue  # the record, or its module in the URL, changes from pass to pass
                if any(view.is_job_wait(other) for other in view.body.calls if view.ctx.is_within(other, loop.body)):
                    continue  # each pass waits for its job before the next call
                yield self.report(view, call,
                                  f"{flow.call.describe()} is called for the same record on every pass of the loop "
                                  f"over `{view.ctx.code(loop.target)}`", flow,
                                  edits=wait_edits(view, call, flow), safety="unsafe")  # each pass waits
                break
        yield from self._one_after_another(view)

    def _one_after_another(self, view: View) -> Iterator[Finding]:
        """A second call for the record an earlier call of the same body changed, with no wait for
        that job in between (remove the old territories, then assign the new ones)."""
        if mocked_test(view):
            return  # a test that provokes ALREADY_SCHEDULED from a mock on purpose
        start = lambda node: (view.ctx.position(node).start.line, view.ctx.position(node).start.column)
        end = lambda node: (view.ctx.position(node).end.line, view.ctx.position(node).end.column)
        calls = sorted(((start(call), call, flow) for call, flow in view.territory_flows()
                        if not _in_own_scope(view, call)),
                       key=lambda item: item[0])
        waits = [end(call) for call in view.body.calls if view.is_job_wait(call)]  # done once it returns
        records = [self._same_record_key(view, call) for _, call, _ in calls]
        for number, (at, call, flow) in enumerate(calls):
            record = records[number]
            if record is None:
                continue
            for (before, earlier, earlier_flow), earlier_record in zip(reversed(calls[:number]),
                                                                       reversed(records[:number])):
                if (before == at or earlier_record != record
                        or not _same_module(earlier_flow.call.module, flow.call.module)):
                    continue
                if _in_sequence(view, earlier, call) and not any(before < wait <= at for wait in waits):
                    yield self.report(view, call,
                                      f"{flow.call.describe()} is called for the record that "
                                      f"{earlier_flow.call.describe()} (line {before[0]}) changed, before that "
                                      "job ran", flow,  # the fix: a wait for the first job right after its call
                                      edits=wait_edits(view, earlier, earlier_flow), safety="unsafe")
                break

    def _same_record_key(self, view: View, call: cst.Call) -> str | None:
        """What names the call's record, as text that two calls for the same record share (a URL
        less its operation), when each name in it has one binding only (none rebound between)."""
        record = self._record_expression(view, call)
        if record is None or any(len(view.analyzer.resolver.bindings(view.ctx, name)) != 1
                                 for name in descendants(record, cst.Name) if not _attribute_name(view, name)):
            return None
        return re.sub(r"(assign|remove)_territor(ies|y_to_record|ies_of_record)", "", _spelling(view, record))

    @staticmethod
    def _targets(view: View, target: cst.BaseExpression) -> set[str]:
        return {name.value for name in descendants(target, cst.Name)}

    def _depends(self, view: View, nodes, targets: set[str], depth: int = 0, within: cst.CSTNode | None = None) -> bool:
        """Whether any of the nodes uses a loop target, also through local assignments and, in the
        loop's body ``within``, through the methods that fill a local object
        (``record.add_key_value("Territories", [t])``, then ``body.set_data([record])``: how the
        SDK's request bodies are built)."""
        if depth > 6:
            return False
        for node in nodes:
            for name_node in descendants(node, cst.Name):
                if name_node.value in targets:
                    return True
                bounds = view.analyzer.resolver.bindings(view.ctx, name_node)
                for bound in bounds:
                    definition = bound.definition
                    if (definition.kind == "assign" and definition.owner is view.body.node
                            and definition.value is not None
                            and self._depends(view, [definition.value], targets, depth + 1, within)):
                        return True
                if within is not None and any(
                        b.definition.kind == "assign" and b.definition.owner is view.body.node for b in bounds) and any(
                        isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name)
                        and call.func.value.value == name_node.value and call.args
                        and view.ctx.is_within(call, within)
                        and self._depends(view, [a.value for a in call.args], targets, depth + 1, within)
                        for call in view.body.calls):
                    return True
        return False

    def _record_expression(self, view: View, call: cst.Call, depth: int = 0) -> cst.CSTNode | None:
        """The expression that names the record the call changes, when it can be told."""
        direct = view.territory_call(call)
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if direct is not None and direct.client.startswith("zohocrmsdk"):
            if direct.scope == "record":
                index = 1 if direct.client in {"zohocrmsdk2-1", "zohocrmsdk5-0"} else 0
                return positional[index] if len(positional) > index else keywords.get("id")
            return None
        if direct is not None:
            if direct.scope == "record":
                return _url_argument(call)
            for keyword in _BODY_KEYWORDS:
                if keyword in keywords:
                    return _data_id(view, keywords[keyword])
            return None
        passed = self._passed_record(view, call, positional, keywords, depth)
        if passed is not None:
            return passed
        for function in view.callees(call):
            params = [p for p in function.node.params.params if p.name.value not in {"self", "cls"}]
            by_name = {p.name.value: i for i, p in enumerate(params)}
            for name in by_name:
                lowered = name.lower()
                if "territor" not in lowered and (lowered in {"id", "record", "record_id", "rid"}
                                                   or lowered.startswith("record") or lowered.endswith("record_id")):
                    for arg in call.args:
                        if arg.keyword is not None and arg.keyword.value == name:
                            return arg.value
                    index = by_name[name]
                    return positional[index] if index < len(positional) else None
        return None

    def _passed_record(self, view: View, call: cst.Call, positional: list, keywords: dict,
                       depth: int) -> cst.CSTNode | None:
        """For a call of a wrapper (one function) whose territory call names its record by one of
        the wrapper's parameters: this call's argument for that parameter."""
        functions = view.callees(call)
        if depth >= 3 or len(functions) != 1:
            return None
        function = functions[0]
        inner = view.analyzer.view(function.ctx, function.node)
        params = [p for p in function.node.params.params if p.name.value not in {"self", "cls"}]
        for inner_call, _ in inner.territory_flows():
            record = self._record_expression(inner, inner_call, depth + 1)
            if record is None:
                continue
            used = {bound.definition.value for name in descendants(record, cst.Name)
                    for bound in view.analyzer.resolver.bindings(function.ctx, name)
                    if bound.definition.kind == "param"}
            chosen = [i for i, param in enumerate(params) if param in used]
            if len(chosen) != 1 or len(used) != 1:
                return None  # a record the wrapper fixes itself, or one spelled from several parameters
            name = params[chosen[0]].name.value
            return keywords.get(name) or (positional[chosen[0]] if chosen[0] < len(positional) else None)
        return None

    VALID = [
        # two records, spelled in two ways
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def replace(rid, other, old, new):
    requests.post(BASE + "/Leads/" + rid + "/actions/remove_territories", json={"data": [{"Territories": old}]})
    return requests.post(f"{BASE}/Leads/{other}/actions/assign_territories", json={"data": [{"Territories": new}]})
''',
        # every pass waits for its job before the next call
        '''
import requests
API = "https://www.zohoapis.com/crm/v7/Leads"
def wait_for_job(lead_id):
    requests.get(f"{API}/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": lead_id})
def move(lead_id, territory_ids):
    for territory_id in territory_ids:
        requests.post(f"{API}/{lead_id}/actions/assign_territories",
                      json={"data": [{"Territories": [{"id": territory_id}]}]})
        wait_for_job(lead_id)
''',
        # the same id in the modules of the loop names a different record each time
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign_everywhere(territory_id):
    for module in ("Leads", "Contacts"):
        requests.post(f"{BASE}/{module}/actions/assign_territories",
                      json={"data": [{"id": "1", "Territories": [{"id": territory_id}]}]})
''',
        # one call per record is fine
        '''
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign_all(records, territory_id):
    for record_id in records:
        requests.post(URL, json={"data": [{"id": record_id, "Territories": [{"id": territory_id}]}]})
''',
        # a retry loop whose counter does not reach the call is ZL107's business, not this rule's
        '''
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(record_id, territories):
    for attempt in range(3):
        r = requests.post(URL, json={"data": [{"id": record_id, "Territories": territories}]})
        return r
''',
        # one after another: another record, another module, one branch or the other, a wait between
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def both(first, second, t):
    requests.post(f"{BASE}/Leads/{first}/actions/assign_territories", json={"data": [{"Territories": t}]})
    requests.post(f"{BASE}/Leads/{second}/actions/assign_territories", json={"data": [{"Territories": t}]})
    requests.post(f"{BASE}/Contacts/{first}/actions/assign_territories", json={"data": [{"Territories": t}]})
def either(record_id, t, add):
    if add:
        requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={"data": [{"Territories": t}]})
    else:
        requests.post(f"{BASE}/Leads/{record_id}/actions/remove_territories", json={"data": [{"Territories": t}]})
def replace(record_id, old, new):
    requests.post(f"{BASE}/Leads/{record_id}/actions/remove_territories", json={"data": [{"Territories": old}]})
    requests.get(f"{BASE}/Leads/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": record_id})
    requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={"data": [{"Territories": new}]})
''',
        # the second call only after the first failed (a retry: no job was scheduled), a guard clause
        # that returns, calls in lambdas of their own, a wait around the first call
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def wait_jobs(response, rid):
    requests.get(f"{BASE}/Leads/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": rid})
    return response
def assign(rid, t, refresh):
    r = requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": t}]})
    if r.status_code == 401:
        refresh()
        r = requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": t}]})
    return r
def sync(rid, t):
    if not t:
        r = requests.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={"data": [{"Territories": []}]})
        return r
    return requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": t}]})
def both(t):
    remove = lambda rid: requests.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={"data": [{"Territories": t}]})
    add = lambda rid: requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": t}]})
    return remove, add
def replace(rid, old, new):
    wait_jobs(requests.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={"data": [{"Territories": old}]}), rid)
    return wait_jobs(requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": new}]}), rid)
''',
        # through wrappers: two records, each passed in by the caller
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def both(first, second, territory_ids):
    assign(first, territory_ids)
    assign(second, territory_ids)
def each(lead_ids, territory_ids):
    for lead_id in lead_ids:
        assign(lead_id, territory_ids)
''',
        # the record's name is bound again between the calls: maybe another record
        '''
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign_two(records, t):
    record_id = records[0]
    requests.post(URL, json={"data": [{"id": record_id, "Territories": t}]})
    record_id = records[1]
    requests.post(URL, json={"data": [{"id": record_id, "Territories": t}]})
''',
    ]
    INVALID = [
        Invalid(  # through wrappers: the record is the parameter each one puts in its URL
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def remove_territories(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/remove_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def assign_territories(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def move(lead, old, new):
    remove_territories(lead, old)
    return assign_territories(territory_ids=new, lead_id=lead)
""",
            12, 12,
            "assign_territories (v7, Leads) is called for the record that remove_territories (v7, Leads) (line 11) "
            "changed, before that job ran",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def remove_territories(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/remove_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def assign_territories(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def move(lead, old, new):
    wait_for_territory_jobs(remove_territories(lead, old))
    return assign_territories(territory_ids=new, lead_id=lead)
""",
        ),
        Invalid(  # a wrapper in a loop over territories, for one lead
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign_territories(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def retarget(lead, territory_ids):
    for territory_id in territory_ids:
        assign_territories(lead, [territory_id])
""",
            9, 9,
            "assign_territories (v7, Leads) is called for the same record on every pass of the loop over "
            "`territory_id`",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign_territories(lead_id, territory_ids):
    return requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories",
                         json={"data": [{"Territories": [{"id": t} for t in territory_ids]}]})
def retarget(lead, territory_ids):
    for territory_id in territory_ids:
        wait_for_territory_jobs(assign_territories(lead, [territory_id]))
""",
        ),
        Invalid(  # the same record, spelled by concatenation once and by an f-string once
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def replace(rid, old, new):
    requests.post(BASE + "/Leads/" + rid + "/actions/remove_territories", json={"data": [{"Territories": old}]})
    return requests.post(f'{BASE}/Leads/{rid}/actions/assign_territories', json={"data": [{"Territories": new}]})
""",
            6, 12,
            "assign_territories (v7, Leads) is called for the record that remove_territories (v7, Leads) (line 5) "
            "changed, before that job ran",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def replace(rid, old, new):
    wait_for_territory_jobs(requests.post(BASE + "/Leads/" + rid + "/actions/remove_territories", json={"data": [{"Territories": old}]}), requests)
    return requests.post(f'{BASE}/Leads/{rid}/actions/assign_territories', json={"data": [{"Territories": new}]})
""",
        ),
        Invalid(  # the SDK's record given by keyword
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def replace(rid, old, new):
    ops = RecordOperations("Leads")
    ops.remove_territories_from_record(id=rid, request=old)
    ops.assign_territory_to_record(id=rid, request=new)
""",
            6, 5,
            "assign_territories (Leads) is called for the record that remove_territories (Leads) (line 5) "
            "changed, before that job ran",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def replace(rid, old, new):
    ops = RecordOperations("Leads")
    wait_for_sdk_territory_jobs(ops.remove_territories_from_record(id=rid, request=old), "Leads")
    ops.assign_territory_to_record(id=rid, request=new)
""",
        ),
        Invalid(  # a try's else runs after its body
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def replace(rid, old, new):
    try:
        requests.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={"data": [{"Territories": old}]})
    except requests.RequestException:
        return None
    else:
        return requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": new}]})
""",
            10, 16,
            "assign_territories (v7, Leads) is called for the record that remove_territories (v7, Leads) (line 6) "
            "changed, before that job ran",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def replace(rid, old, new):
    try:
        wait_for_territory_jobs(requests.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={"data": [{"Territories": old}]}), requests)
    except requests.RequestException:
        return None
    else:
        return requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={"data": [{"Territories": new}]})
""",
        ),
        Invalid(  # remove the old territories, then assign the new ones: the second call meets the first's job
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def replace(record_id, old, new):
    requests.post(f"{BASE}/Leads/{record_id}/actions/remove_territories", json={"data": [{"Territories": old}]})
    requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={"data": [{"Territories": new}]})
""",
            6, 5,
            "assign_territories (v7, Leads) is called for the record that remove_territories (v7, Leads) (line 5) "
            "changed, before that job ran",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def replace(record_id, old, new):
    wait_for_territory_jobs(requests.post(f"{BASE}/Leads/{record_id}/actions/remove_territories", json={"data": [{"Territories": old}]}), requests)
    requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={"data": [{"Territories": new}]})
""",
        ),
        Invalid(  # after the first call succeeded its job is pending; a wait around the second comes too late
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def replace(client, old, new, wait):
    r = client.post(f"{BASE}/Leads/{client.lead_id}/actions/remove_territories", json={"data": [{"Territories": old}]})
    if r.status_code == 202:
        wait(client.post(f"{BASE}/Leads/{client.lead_id}/actions/assign_territories", json={"data": [{"Territories": new}]}))
""",
            7, 14,
            "assign_territories (v7, Leads) is called for the record that remove_territories (v7, Leads) (line 5) "
            "changed, before that job ran",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def replace(client, old, new, wait):
    r = client.post(f"{BASE}/Leads/{client.lead_id}/actions/remove_territories", json={"data": [{"Territories": old}]})
    wait_for_territory_jobs(r, client)
    if r.status_code == 202:
        wait(client.post(f"{BASE}/Leads/{client.lead_id}/actions/assign_territories", json={"data": [{"Territories": new}]}))
""",
        ),
        Invalid(
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def replace(record_id, old, new):
    ops = RecordOperations("Deals")
    ops.remove_territories_from_record(record_id, old)
    ops.assign_territory_to_record(record_id, new)
""",
            6, 5,
            "assign_territories (Deals) is called for the record that remove_territories (Deals) (line 5) changed, "
            "before that job ran",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def replace(record_id, old, new):
    ops = RecordOperations("Deals")
    wait_for_sdk_territory_jobs(ops.remove_territories_from_record(record_id, old), "Deals")
    ops.assign_territory_to_record(record_id, new)
""",
        ),
        Invalid(
            """
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(record_id, territory_ids):
    for territory_id in territory_ids:
        body = {"data": [{"id": record_id, "Territories": [{"id": territory_id}]}]}
        requests.post(URL, json=body)
""",
            7, 9,
            "assign_territories (v7, Leads) is called for the same record on every pass of the loop over "
            "`territory_id`",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(record_id, territory_ids):
    for territory_id in territory_ids:
        body = {"data": [{"id": record_id, "Territories": [{"id": territory_id}]}]}
        wait_for_territory_jobs(requests.post(URL, json=body), requests)
""",
        ),
        Invalid(
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(record_id, requests_by_territory):
    ops = RecordOperations("Deals")
    for request in requests_by_territory:
        ops.assign_territory_to_record(record_id, request)
""",
            6, 9,
            "assign_territories (Deals) is called for the same record on every pass of the loop over `request`",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def assign(record_id, requests_by_territory):
    ops = RecordOperations("Deals")
    for request in requests_by_territory:
        wait_for_sdk_territory_jobs(ops.assign_territory_to_record(record_id, request), "Deals")
""",
        ),
        Invalid(  # the SDK's body is filled by setters in the loop: the record stays the same
            """
from zohocrmsdk.src.com.zoho.crm.api.record import BodyWrapper, Record, RecordOperations
def assign(record_id, territories):
    ops = RecordOperations("Deals")
    for territory in territories:
        record = Record()
        record.add_key_value("Territories", [territory])
        body = BodyWrapper()
        body.set_data([record])
        ops.assign_territory_to_record(record_id, body)
""",
            10, 9,
            "assign_territories (Deals) is called for the same record on every pass of the loop over `territory`",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import BodyWrapper, Record, RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def assign(record_id, territories):
    ops = RecordOperations("Deals")
    for territory in territories:
        record = Record()
        record.add_key_value("Territories", [territory])
        body = BodyWrapper()
        body.set_data([record])
        wait_for_sdk_territory_jobs(ops.assign_territory_to_record(record_id, body), "Deals")
""",
        ),
    ]


def _same_module(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first.lower() == second.lower()


_BRANCHES = (cst.If, cst.Else, cst.Try, cst.TryStar, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally,
             cst.Match, cst.MatchCase, cst.IfExp, cst.BooleanOperation, cst.Lambda, cst.FunctionDef)
_CONDITIONS = (cst.If, cst.While)
_EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)
_OWN_SCOPES = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _in_sequence(view: View, first: cst.CSTNode, second: cst.CSTNode) -> bool:
    """Whether ``second`` runs after ``first`` has run: they do not sit in two branches of one
    ``if``/``try``/``match`` (or of a conditional expression), ``first`` is not in a block that
    then leaves (a guard clause: ``return``, ``raise``, ``continue``, ``break``), and ``second``
    is not under a test of a territory answer (a retry when the first call failed)."""
    above = []
    node = first
    while node is not None:
        above.append(node)
        node = view.ctx.parents.get(node)
    ids = {id(n) for n in above}
    node, lower = second, []
    while node is not None and id(node) not in ids:
        lower.append(node)
        node = view.ctx.parents.get(node)
    if node is None:
        return False
    meeting = [id(n) for n in above].index(id(node))  # where the two paths up meet
    if isinstance(node, _BRANCHES) and not _try_then_after(node, above[meeting - 1], lower):
        return False
    for block in above[:meeting]:
        if isinstance(block, cst.IndentedBlock) and any(
                isinstance(line, cst.SimpleStatementLine) and any(isinstance(small, _EXITS) for small in line.body)
                for line in block.body):
            return False
    return not any(isinstance(n, _CONDITIONS) and any(view.role(part) is not None for part in _parts(n.test))
                   and (isinstance(n, cst.While) or _failure_test(n.test)) for n in lower)


def _try_then_after(node: cst.CSTNode, first_part: cst.CSTNode, lower: list) -> bool:
    """The first call in a ``try`` body, the second in its ``else`` or ``finally``: they run in turn.
    ``first_part``: the part of ``node`` that holds the first call; ``lower``: the second call's way up."""
    return (isinstance(node, (cst.Try, cst.TryStar)) and bool(lower) and first_part is node.body
            and lower[-1] in (node.orelse, node.finalbody))


def _parts(expr: cst.CSTNode) -> list:
    return [expr, *descendants(expr, cst.Name), *descendants(expr, cst.Attribute), *descendants(expr, cst.Call)]


def _failure_test(test: cst.BaseExpression) -> bool:
    """A test that holds when a call failed: a status of 300 or more (``== 401``, ``>= 500``), a
    negation (``not r.ok``, ``!= 202``). After a success test the first job is pending: reported."""
    negative = (cst.NotEqual, cst.NotIn, cst.IsNot)
    return (isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
            or any(isinstance(target.operator, negative) for comparison in [test, *descendants(test, cst.Comparison)]
                   if isinstance(comparison, cst.Comparison) for target in comparison.comparisons)
            or any(integer.evaluated_value >= 300 for integer in descendants(test, cst.Integer)))


def _in_own_scope(view: View, call: cst.Call) -> bool:
    """A call inside a lambda or a comprehension: its names are that scope's own."""
    node = view.ctx.parents.get(call)
    while node is not None and node is not view.body.node:
        if isinstance(node, _OWN_SCOPES):
            return True
        node = view.ctx.parents.get(node)
    return False


def _attribute_name(view: View, name: cst.Name) -> bool:
    """``x`` of ``obj.x``: an attribute, not a name bound in the code."""
    parent = view.ctx.parents.get(name)
    return isinstance(parent, cst.Attribute) and parent.attr is name


def _data_id(view: View, body: cst.BaseExpression) -> cst.CSTNode | None:
    """``X`` in a literal body ``{"data": [{"id": X, ...}]}`` (also through one local name)."""
    if isinstance(body, cst.Name):
        for bound in view.analyzer.resolver.bindings(view.ctx, body):
            if bound.definition.kind == "assign" and isinstance(bound.definition.value, cst.Dict):
                body = bound.definition.value
                break
    if not isinstance(body, cst.Dict):
        return None
    for element in body.elements:
        if isinstance(element, cst.DictElement) and _is_key(element.key, "data") and isinstance(element.value, cst.List):
            for item in element.value.elements:
                if isinstance(item.value, cst.Dict):
                    for entry in item.value.elements:
                        if isinstance(entry, cst.DictElement) and _is_key(entry.key, "id"):
                            return entry.value
    return None


def _is_key(node: cst.BaseExpression, key: str) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == key


def _spelling(view: View, node: cst.CSTNode) -> str:
    """The text ``node`` builds, with each expression in it as ``{its code}``: the same for a
    concatenation, an f-string and either quote style (``BASE + "/Leads/" + rid`` and
    ``f'{BASE}/Leads/{rid}'`` both give ``{BASE}/Leads/{rid}``)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, str):
            return value
    elif isinstance(node, cst.ConcatenatedString):
        return _spelling(view, node.left) + _spelling(view, node.right)
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _spelling(view, node.left) + _spelling(view, node.right)
    elif isinstance(node, cst.FormattedString):
        return "".join(part.value if isinstance(part, cst.FormattedStringText)
                       else "{" + view.ctx.code(part.expression) + "}" for part in node.parts)
    return "{" + view.ctx.code(node) + "}"


def _url_argument(call: cst.Call) -> cst.CSTNode | None:
    """The URL an HTTP call is given: its first positional argument, or ``url=``."""
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "url"), None)
