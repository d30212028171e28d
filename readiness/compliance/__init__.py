"""The compliance engine: facts from the database, judged by the policy, as one table.

`compliance_items` gives every requirement and subject at each site its status, due
and last done dates and a sentence; `scenario_readiness` turns those items into ready
or not per site and emergency scenario.
"""

from readiness.compliance.items import compliance_items
from readiness.compliance.scenarios import scenario_readiness
from readiness.compliance.table import COLUMNS

__all__ = ["COLUMNS", "compliance_items", "scenario_readiness"]
