"""The idle culler of deploy/jupyterhub_config.py really stops idle servers.

A small hub of its own (no browser), with the culler's timeout cut to seconds through the
config's own knobs (``LECTURE_HUB_CULL_TIMEOUT``, ``LECTURE_HUB_CULL_EVERY``): the service is
the shipped one — same command, same role (its scopes), its token issued by the hub.
"""

from __future__ import annotations

import time

from hub_harness import Hub


def test_idle_server_is_culled_by_the_hub_service(hub_ready, tmp_path):
    with Hub(tmp_path / "hub", cull_timeout=3, cull_every=1) as hub:
        culler = hub.api("GET", "/services")["idle-culler"]
        assert culler["pid"], f"the hub did not start the culler service: {culler}"
        assert "jupyterhub_idle_culler" in " ".join(culler["command"])
        hub.add_user("idle-student")
        hub.start_server("idle-student")
        deadline = time.monotonic() + 60
        while hub.server("idle-student") is not None:
            assert time.monotonic() < deadline, (
                "the idle server was not culled within 60 s; culler log:\n"
                + "\n".join(line for line in hub.log_path.read_text().splitlines()
                            if "idle" in line.lower())[-2000:])
            time.sleep(0.5)
        assert not hub.server_processes("idle-student"), "the culled server's process is still alive"
        assert hub.api("GET", "/users/idle-student")["name"] == "idle-student", "the user is kept"
