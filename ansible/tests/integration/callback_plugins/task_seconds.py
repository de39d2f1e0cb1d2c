# Prints, after each playbook run of the integration test, the five tasks that took longest
# (wall clock, all hosts together), so a slow CI step says where its time went.
from __future__ import annotations

import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: task_seconds
    type: aggregate
    short_description: the slowest tasks of the run
    description: Prints the five tasks that took longest at the end of the run.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_seconds'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._times = {}
        self._current = None

    def _close(self):
        if self._current:
            name, start = self._current
            self._times[name] = self._times.get(name, 0.0) + time.monotonic() - start
        self._current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self._current = (task.get_name(), time.monotonic())

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        self._close()
        slow = sorted(self._times.items(), key=lambda kv: -kv[1])[:5]
        self._display.display('slowest tasks: ' + '; '.join('%s %.1fs' % (n, s) for n, s in slow))
