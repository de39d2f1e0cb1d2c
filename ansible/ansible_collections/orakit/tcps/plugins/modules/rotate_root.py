#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: rotate_root
short_description: One phase of a root CA rotation of a fleet (orakit tcps rotate-root)
description:
  - "Runs one phase of C(orakit tcps rotate-root) on a C(tcps issue) fleet directory (the
    C(orakit.tcps.fleet) role's C(fleet/)) or a C(tcps init) output, where the CA is -
    normally the controller, with C(delegate_to: localhost) and C(run_once)."
  - C(trust) makes the new root in O(new_ca_dir) (or takes the CA already there) and adds it
    beside the old one to every host's server wallet and to each of O(client_wallets);
    C(reissue) re-issues every server certificate under the new root (same key, subject and
    SANs); C(retire) removes the old root from every wallet. Each phase's wallets are deployed
    before the next phase runs; orakit refuses a phase that is not due and names the one to run.
  - orakit plans each phase and writes only what is missing, so a rerun of a phase changes no
    byte. C(changed) is orakit's own (C(--json)); check mode runs C(--check --json), which
    writes nothing. Diff mode shows the phase's steps to do before and after.
  - The changed host wallets are then copied to their hosts (the role does this with
    M(ansible.builtin.copy)); RV(changed_hosts) names them.
version_added: 0.1.0
author:
  - orakit contributors (@orakit)
options:
  path:
    description: The fleet directory (one subdirectory per host, as C(tcps issue --out) wrote it) or a C(tcps init) output.
    type: path
    required: true
  phase:
    description: The phase to run.
    type: str
    choices: [trust, reissue, retire]
    required: true
  ca_dir:
    description:
      - The CA the fleet was issued with (its C(ca.pem)). Needed by a fleet's first C(trust) run;
        the rotation record (C(orakit-rotation.json) in O(path)) keeps it for the later phases.
    type: path
  new_ca_dir:
    description:
      - Where the new CA is (C(ca.pem) and C(ca.key)), or the directory the C(trust) phase makes
        a new root in when it holds none. Needed by a fleet's first C(trust) run.
    type: path
  new_ca_subject:
    description: Subject of a new root made by C(trust) (default - the old one's CN with C( G2), or its G number counted up).
    type: str
  new_ca_days:
    description: Validity in days of a new root made by C(trust) (orakit's default 3650).
    type: int
  new_ca_key_type:
    description: Key type of a new root made by C(trust) (default - the old root's).
    type: str
    choices: [rsa2048, rsa3072, rsa4096, p256, p384, p521]
  client_wallets:
    description:
      - Trust-only client wallets (directories with C(cwallet.sso) and/or C(ewallet.pem), or
        PEM files) rotated with the fleet - the client / AWS DMS wallet. Taken by C(trust)
        and recorded for C(retire).
    type: list
    elements: path
    default: []
  days:
    description: Validity in days of the certificates C(reissue) issues (orakit's default 365).
    type: int
  password:
    description: The password of every server C(ewallet.p12) of the fleet.
    type: str
    required: true
  ca_key_password:
    description: Password of encrypted CA keys (old and new); a new root's key is written encrypted with it.
    type: str
  orakit_bin:
    description: Path of the orakit binary.
    type: path
attributes:
  check_mode:
    description: Reports what the phase would change (orakit's C(--check)) and writes nothing.
    support: full
  diff_mode:
    description: Shows the phase's steps still to do before and after.
    support: full
notes:
  - The fleet directory holds every server key; keep it as private as the CA.
seealso:
  - module: orakit.tcps.server_identity
  - module: orakit.tcps.wallet
'''

EXAMPLES = r'''
- name: Root rotation phase 1 - trust a new root beside the old one everywhere
  orakit.tcps.rotate_root:
    path: "{{ playbook_dir }}/tcps/fleet"
    phase: trust
    ca_dir: "{{ playbook_dir }}/tcps/ca"
    new_ca_dir: "{{ playbook_dir }}/tcps/ca-next"
    new_ca_subject: CN=Example TCPS Root G2
    client_wallets: ["{{ playbook_dir }}/tcps/client/wallet"]
    password: "{{ vault_wallet_password }}"
  delegate_to: localhost
  run_once: true
  register: rotation

- name: Root rotation phase 2 - re-issue every server certificate under the new root
  orakit.tcps.rotate_root:
    path: "{{ playbook_dir }}/tcps/fleet"
    phase: reissue
    password: "{{ vault_wallet_password }}"
  delegate_to: localhost
  run_once: true
'''

RETURN = r'''
phase:
  description: The phase run.
  returned: always
  type: str
  sample: trust
kind:
  description: C(fleet) or C(tcps-init).
  returned: always
  type: str
old_root:
  description: The root being retired (subject, sha256_fingerprint, not_after), once the rotation has started.
  returned: always
  type: dict
  sample: {subject: CN=Example TCPS Root, sha256_fingerprint: 3a5f..., not_after: "2036-12-02 06:00:00 UTC"}
new_root:
  description: The new root; in check mode of the first C(trust) run its fingerprint is empty (the real run makes it).
  returned: always
  type: dict
steps:
  description: orakit's plan - each target (a host's wallet, a client wallet), the action and whether it was (check mode - is) needed.
  returned: always
  type: list
  elements: dict
  sample: [{target: db01/wallet, action: trust the new root "CN=Example TCPS Root G2", needed: true}]
files_changed:
  description: The files written (check mode - that would be), relative to O(path) when inside it.
  returned: always
  type: list
  elements: str
changed_hosts:
  description: The fleet's host directories whose files changed (check mode - would change).
  returned: always
  type: list
  elements: str
  sample: [db01, db02]
next:
  description: orakit's word on what to deploy now and which phase comes next.
  returned: always
  type: str
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.orakit.tcps.plugins.module_utils.orakit import (
    ENV_CA_KEY_PASSWORD, ENV_WALLET_PASSWORD, ORAKIT_COMMON_ARGS, Orakit)

KEY_TYPES = ['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521']


def command(p, check):
    """The orakit command line of the phase (no secret on it) and the secrets' environment."""
    args = ['tcps', 'rotate-root', p['path'], '--phase', p['phase'], '--json',
            '--password-env', ENV_WALLET_PASSWORD]
    secrets = {ENV_WALLET_PASSWORD: p['password']}
    if check:
        args.append('--check')
    for opt in ('ca_dir', 'new_ca_dir', 'new_ca_subject', 'new_ca_days', 'new_ca_key_type', 'days'):
        if p[opt] is not None:
            args += ['--' + opt.replace('_', '-'), str(p[opt])]
    for wallet in p['client_wallets']:
        args += ['--client-wallet', wallet]
    if p['ca_key_password'] is not None:
        args += ['--ca-key-password-env', ENV_CA_KEY_PASSWORD]
        secrets[ENV_CA_KEY_PASSWORD] = p['ca_key_password']
    return args, secrets


def host_dirs(path, kind, files):
    """The host directories of a fleet among the files orakit names (relative to PATH)."""
    if kind != 'fleet':
        return []
    hosts = set()
    for f in files:
        head, sep, rest = f.partition('/')
        if sep and not os.path.isabs(f) and os.path.isdir(os.path.join(path, head)) \
                and os.path.isfile(os.path.join(path, head, '.orakit-complete')):
            hosts.add(head)
    return sorted(hosts)


def step_line(step):
    return '%s: %s' % (step.get('target'), step.get('action'))


def main():
    argument_spec = dict(
        path=dict(type='path', required=True),
        phase=dict(type='str', required=True, choices=['trust', 'reissue', 'retire']),
        ca_dir=dict(type='path'),
        new_ca_dir=dict(type='path'),
        new_ca_subject=dict(type='str'),
        new_ca_days=dict(type='int'),
        new_ca_key_type=dict(type='str', choices=KEY_TYPES),
        client_wallets=dict(type='list', elements='path', default=[]),
        days=dict(type='int'),
        password=dict(type='str', required=True, no_log=True),
        ca_key_password=dict(type='str', no_log=True),
    )
    argument_spec.update(ORAKIT_COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    orakit = Orakit(module)
    if not os.path.isdir(p['path']):
        module.fail_json(msg='%s is not a directory: give the fleet directory (tcps issue --out)' % p['path'])

    args, secrets = command(p, module.check_mode)
    rc, doc = orakit.json(args, secrets=secrets)
    steps = doc.get('steps') or []
    files = doc.get('files_changed') or []
    kind = doc.get('kind')
    done = [step_line(s) for s in steps if not s.get('needed')]
    to_do = [step_line(s) for s in steps if s.get('needed')]
    module.exit_json(
        changed=bool(doc.get('changed')),
        phase=doc.get('phase'),
        kind=kind,
        old_root=doc.get('old_root') or {},
        new_root=doc.get('new_root') or {},
        steps=steps,
        files_changed=files,
        changed_hosts=host_dirs(p['path'], kind, files),
        next=doc.get('next'),
        diff=dict(before={'phase': doc.get('phase'), 'already_done': done, 'to_do': to_do},
                  after={'phase': doc.get('phase'), 'already_done': done + to_do, 'to_do': []}),
    )


if __name__ == '__main__':
    main()
