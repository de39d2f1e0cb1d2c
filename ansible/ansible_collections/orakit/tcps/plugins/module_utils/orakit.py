# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)
"""Running the orakit binary from a module: JSON in, secrets through the environment.

Every module of this collection talks to orakit through this file, so three rules hold in
one place: orakit's text output is never parsed (only its ``--json`` documents and exit
codes), secrets reach orakit only through environment variables (never argv, which
``ps`` shows and Ansible logs), and a failure names the command and what orakit said.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import tempfile

ORAKIT_COMMON_ARGS = dict(
    orakit_bin=dict(type='path'),
)

# Environment variable names the modules hand secrets over in. orakit reads each one
# named by a --*-env option; nothing else in the process sees them on argv.
ENV_WALLET_PASSWORD = 'ORAKIT_ANSIBLE_WALLET_PASSWORD'
ENV_SECRET = 'ORAKIT_ANSIBLE_SECRET'
ENV_KEY_PASSWORD = 'ORAKIT_ANSIBLE_KEY_PASSWORD'
ENV_CA_KEY_PASSWORD = 'ORAKIT_ANSIBLE_CA_KEY_PASSWORD'


class Orakit(object):
    """One orakit binary, run on behalf of one module invocation."""

    def __init__(self, module):
        self.module = module
        path = module.params.get('orakit_bin')
        if path:
            if not os.access(path, os.X_OK):
                module.fail_json(msg='orakit_bin %s is not an executable file' % path)
            self.bin = path
        else:
            self.bin = module.get_bin_path('orakit', required=True,
                                           opt_dirs=['/usr/local/bin', '/opt/orakit/bin'])

    def run(self, args, secrets=None, ok_rcs=(0,), check_rc=True):
        """Run orakit with ARGS; SECRETS (env name -> value) go into its environment only."""
        env = {}
        for name, value in (secrets or {}).items():
            if value is not None:
                env[name] = value
        rc, out, err = self.module.run_command([self.bin] + list(args), environ_update=env,
                                               check_rc=False)
        if check_rc and rc not in ok_rcs:
            self.module.fail_json(msg='orakit %s failed (exit %d): %s'
                                  % (' '.join(args[:3]), rc, (err or out).strip()),
                                  rc=rc, stderr=err, cmd=[self.bin] + list(args))
        return rc, out, err

    def json(self, args, secrets=None, ok_rcs=(0,)):
        """Run orakit with ARGS (which include --json) and return its JSON document."""
        rc, out, err = self.run(args, secrets=secrets, ok_rcs=ok_rcs)
        try:
            doc = json.loads(out)
        except ValueError:
            self.module.fail_json(msg='orakit %s did not print JSON (exit %d): %s'
                                  % (' '.join(args[:3]), rc, err.strip()), stdout=out)
        return rc, doc

    def version(self):
        rc, out, err = self.run(['--version'])
        return out.strip()

    def certificates_in(self, path):
        """The certificates of a PEM/DER file as `orakit cert show --json` reports them."""
        rc, doc = self.json(['cert', 'show', '--json', path])
        found = []
        for item in doc.get('objects') or []:
            if item and item.get('kind', 'certificate') == 'certificate':
                found.append(item)
        if not found:
            self.module.fail_json(msg='%s holds no certificate' % path)
        return found


def fingerprint(value):
    """A SHA-256 fingerprint as lower-case hex without colons (orakit prints both forms)."""
    return (value or '').replace(':', '').strip().lower()


class Scratch(object):
    """A private temporary directory (0700) that is always removed."""

    def __init__(self, prefix='orakit-ansible-'):
        self.path = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.path, 0o700)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
        return False

    def file(self, name):
        return os.path.join(self.path, name)
