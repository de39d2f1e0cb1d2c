#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: server_identity
short_description: Server keys, certificates and wallets for many hosts from one CA on the controller (orakit tcps issue)
description:
  - "Runs C(orakit tcps issue) where the CA is (normally the controller, with
    C(delegate_to: localhost) and C(run_once)) for the hosts given, writing
    O(out)/<host>/wallet/{ewallet.p12,cwallet.sso}, O(out)/<host>/server.pem and the host's
    C(.ora) entries. The wallets are then copied to each database host (the
    C(orakit.tcps.fleet) role does this with M(ansible.builtin.copy), whose checksum
    comparison repairs a host whose wallet was changed)."
  - Complete hosts are left alone; hosts new to the list are issued; O(renew_within)
    re-issues certificates that end within that many days on the same key;
    O(reissue_drifted) re-issues hosts whose SANs or ports changed; O(allow_ca_change) lets
    renewal move hosts to a new CA (root rotation).
  - "Honest C(changed): the module first rehearses the run on a private copy of O(out)
    and reads orakit's JSON summary (issued/renewed counts per host). Only when the rehearsal
    issues or renews something is the real run made, so an unchanged fleet is not touched
    at all (not even C(summary.json)). Check mode is the rehearsal alone: it reports
    exactly what orakit would do and writes nothing in O(out)."
version_added: 0.1.0
author:
  - orakit contributors (@orakit)
options:
  ca_dir:
    description: Directory holding the CA as C(ca.pem) and C(ca.key) (a C(tcps init) output's C(ca/)).
    type: path
    required: true
  ca_key_password:
    description: Password of an encrypted CA key.
    type: str
  out:
    description: Output directory, one subdirectory per host.
    type: path
    required: true
  hosts:
    description: The hosts to issue for (the host file of C(tcps issue)).
    type: list
    elements: dict
    required: true
    suboptions:
      host:
        description: Host name or IP address (the certificate's CN and first SAN; the output directory's name).
        type: str
        required: true
      sans:
        description: Further subject alternative names (DNS names or IP addresses).
        type: list
        elements: str
        default: []
      service:
        description: Database service name (for the host's tnsnames.ora entry).
        type: str
        required: true
      tcps_port:
        description: The listener's TCPS port.
        type: int
        default: 2484
      tcp_port:
        description: The listener's plain TCP port; omit for a TCPS-only listener.
        type: int
  password:
    description: The password of every C(ewallet.p12) of the run (renewal reads each host's key back with it).
    type: str
    required: true
  days:
    description: Certificate validity in days.
    type: int
    default: 365
  key_type:
    description: Key type of new host keys.
    type: str
    choices: [rsa2048, rsa3072, rsa4096, p256, p384, p521]
    default: rsa2048
  subject:
    description: Subject DN of each certificate; C({host}) is replaced by the host name.
    type: str
    default: CN={host}
  target:
    description: Oracle release the wallets and .ora entries are for.
    type: str
    choices: ['11g', '12c', '19c', '19.30', '23ai']
  server_wallet_dir:
    description: The wallet directory as the database hosts see it (C({host}) replaced), for WALLET_LOCATION.
    type: str
  renew_within:
    description: Re-issue (same key) certificates of complete hosts that end within this many days.
    type: int
  reissue_drifted:
    description: Re-issue hosts whose files no longer match their row or the options.
    type: bool
    default: false
  allow_ca_change:
    description: Let renewal re-sign hosts another CA issued (moving the fleet to a new root).
    type: bool
    default: false
  jobs:
    description: Worker threads (default one per core).
    type: int
  orakit_bin:
    description: Path of the orakit binary.
    type: path
attributes:
  check_mode:
    description: Reports what would change and writes nothing.
    support: full
  diff_mode:
    description: Shows the state before and after.
    support: full
notes:
  - The keys are made where the CA is and reach the hosts inside their wallets over Ansible's
    connection; keep O(out) as private as the CA (it is 0700 per wallet).
seealso:
  - module: orakit.tcps.wallet
'''

EXAMPLES = r'''
- name: Server wallets for every database host, from the CA on the controller
  orakit.tcps.server_identity:
    ca_dir: "{{ playbook_dir }}/tcps/ca"
    out: "{{ playbook_dir }}/tcps/fleet"
    password: "{{ vault_wallet_password }}"
    renew_within: 30
    hosts:
      - host: db01.example.com
        sans: [db01, 10.0.0.11]
        service: ORCLPDB1
  delegate_to: localhost
  run_once: true
'''

RETURN = r'''
hosts:
  description: orakit's report per host (status issued, renewed, skipped; serial, not_after, warnings such as drift).
  returned: always
  type: list
  elements: dict
  sample: [{host: db01.example.com, status: issued, serial: 53e0..., not_after: "2027-12-02 02:11:07 UTC"}]
changed_hosts:
  description: The hosts whose wallet was (check mode - would be) issued or renewed.
  returned: always
  type: list
  elements: str
summary:
  description: orakit's counts (total, issued, renewed, skipped, failed).
  returned: always
  type: dict
'''

import os
import shutil

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.orakit.tcps.plugins.module_utils.orakit import (
    ENV_CA_KEY_PASSWORD, ENV_WALLET_PASSWORD, ORAKIT_COMMON_ARGS, Orakit, Scratch)


def host_file(rows):
    lines = ['host,sans,service,tcps_port,tcp_port']
    for r in rows:
        cells = [r['host'], ';'.join(r.get('sans') or []), r['service'],
                 str(r.get('tcps_port') or 2484), '' if r.get('tcp_port') is None else str(r['tcp_port'])]
        for c in cells:
            if ',' in c or '\n' in c:
                raise ValueError('host %s: %r cannot hold a comma or a line break' % (r['host'], c))
        lines.append(','.join(cells))
    return '\n'.join(lines) + '\n'


def issue(orakit, module, out, hosts_csv):
    p = module.params
    args = ['tcps', 'issue', '--ca-dir', p['ca_dir'], '--hosts', hosts_csv, '--out', out, '--json',
            '--password-env', ENV_WALLET_PASSWORD, '--days', str(p['days']), '--key-type', p['key_type'],
            '--subject', p['subject']]
    secrets = {ENV_WALLET_PASSWORD: p['password']}
    if p['ca_key_password'] is not None:
        args += ['--ca-key-password-env', ENV_CA_KEY_PASSWORD]
        secrets[ENV_CA_KEY_PASSWORD] = p['ca_key_password']
    for opt in ('target', 'server_wallet_dir', 'renew_within', 'jobs'):
        if p[opt] is not None:
            args += ['--' + opt.replace('_', '-'), str(p[opt])]
    for flag in ('reissue_drifted', 'allow_ca_change'):
        if p[flag]:
            args.append('--' + flag.replace('_', '-'))
    # Exit 1 means at least one host failed; the JSON summary still says which.
    rc, doc = orakit.json(args, secrets=secrets, ok_rcs=(0, 1))
    return rc, doc


def main():
    argument_spec = dict(
        ca_dir=dict(type='path', required=True),
        ca_key_password=dict(type='str', no_log=True),
        out=dict(type='path', required=True),
        hosts=dict(type='list', elements='dict', required=True, options=dict(
            host=dict(type='str', required=True),
            sans=dict(type='list', elements='str', default=[]),
            service=dict(type='str', required=True),
            tcps_port=dict(type='int', default=2484),
            tcp_port=dict(type='int'),
        )),
        password=dict(type='str', required=True, no_log=True),
        days=dict(type='int', default=365),
        key_type=dict(type='str', default='rsa2048',
                      choices=['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521']),
        subject=dict(type='str', default='CN={host}'),
        target=dict(type='str', choices=['11g', '12c', '19c', '19.30', '23ai']),
        server_wallet_dir=dict(type='str'),
        renew_within=dict(type='int'),
        reissue_drifted=dict(type='bool', default=False),
        allow_ca_change=dict(type='bool', default=False),
        jobs=dict(type='int'),
    )
    argument_spec.update(ORAKIT_COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    orakit = Orakit(module)
    out = p['out']
    try:
        csv = host_file(p['hosts'])
    except ValueError as e:
        module.fail_json(msg=str(e))

    with Scratch() as scratch:
        hosts_csv = scratch.file('hosts.csv')
        with open(hosts_csv, 'w') as f:
            f.write(csv)
        # The rehearsal: the same run on a copy of OUT.
        rehearsal = scratch.file('out')
        if os.path.isdir(out):
            shutil.copytree(out, rehearsal, symlinks=True)
        rc, doc = issue(orakit, module, rehearsal, hosts_csv)
        planned = [h['host'] for h in doc.get('hosts', []) if h.get('status') in ('issued', 'renewed')]
        result = dict(hosts=doc.get('hosts', []), changed_hosts=planned,
                      summary=dict((k, doc.get(k)) for k in ('total', 'issued', 'renewed', 'skipped', 'failed')),
                      diff=dict(before={'hosts': sorted(h['host'] for h in doc.get('hosts', [])
                                                        if h.get('status') != 'issued')},
                                after={'hosts': sorted(h['host'] for h in doc.get('hosts', [])),
                                       'issued_or_renewed': sorted(planned)}))
        if rc != 0 or doc.get('failed'):
            failed = [h for h in doc.get('hosts', []) if h.get('status') == 'failed']
            module.fail_json(msg='orakit tcps issue: %d host(s) would fail: %s' % (
                len(failed), '; '.join('%s: %s' % (h['host'], h.get('detail')) for h in failed)), **result)
        if module.check_mode or not planned:
            module.exit_json(changed=bool(planned), **result)

        if not os.path.isdir(out):
            os.makedirs(out, 0o700)
        rc, doc = issue(orakit, module, out, hosts_csv)
    done = [h['host'] for h in doc.get('hosts', []) if h.get('status') in ('issued', 'renewed')]
    result.update(hosts=doc.get('hosts', []), changed_hosts=done,
                  summary=dict((k, doc.get(k)) for k in ('total', 'issued', 'renewed', 'skipped', 'failed')))
    if rc != 0 or doc.get('failed'):
        module.fail_json(msg='orakit tcps issue: %d host(s) failed' % doc.get('failed', 0), **result)
    module.exit_json(changed=bool(done), **result)


if __name__ == '__main__':
    main()
