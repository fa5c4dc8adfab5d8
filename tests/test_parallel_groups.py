"""The suite's parallel run keeps each group of tests on one worker (``make test``: ``--dist loadgroup``).

The demo's modules load the demo once, in a module fixture, and say so with ``xdist_group``; when the
grouping silently stops working (pytest 9.2 renamed the node id that pytest-xdist 3.8 suffixes with the
group), each worker loads the demo again and CI runs minutes longer.
"""

import pytest

pytestmark = pytest.mark.xdist_group("grouping-probe")


def test_a_grouped_test_is_sent_with_its_group(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("run by pytest-xdist with --dist loadgroup only")
    assert request.node.nodeid.endswith("@grouping-probe")
