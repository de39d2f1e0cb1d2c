#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: expiry_info
short_description: Every certificate in wallets, PEM/DER files and directories with its days left (orakit expiry)
description:
  - Runs C(orakit expiry --json) on the managed host and returns its certificates as facts
    (C(ansible_facts.orakit_expiry)) - subject, issuer, file, serial, C(not_after),
    C(days_left), whether it is a wallet's user or trusted certificate.
  - Read-only; never reports C(changed). Check mode runs it the same way; diff mode has nothing to show.
version_added: 0.1.0
author:
  - orakit contributors (@orakit)
options:
  paths:
    description: Wallet directories, certificate files or directories to walk.
    type: list
    elements: path
    required: true
  within:
    description: A certificate counts as expiring when it ends within this many days.
    type: int
    default: 30
  password:
    description: Password to read C(ewallet.p12) files (else auto-login C(cwallet.sso) is read).
    type: str
  fail_when_expiring:
    description: Fail when any certificate expires within O(within) days.
    type: bool
    default: false
  orakit_bin:
    description: Path of the orakit binary.
    type: path
attributes:
  check_mode:
    description: Reports what would change and writes nothing.
    support: full
  diff_mode:
    description: Nothing to show (read-only).
    support: none
  facts:
    description: Sets C(ansible_facts.orakit_expiry).
    support: full
'''

EXAMPLES = r'''
- name: What expires in the next 60 days on each database host
  orakit.tcps.expiry_info:
    paths: [/u01/app/oracle/wallet/tls]
    within: 60
- name: Report
  ansible.builtin.debug:
    msg: "{{ ansible_facts.orakit_expiry.expiring }}"
'''

RETURN = r'''
ansible_facts:
  description: Facts set for the host.
  returned: always
  type: dict
  contains:
    orakit_expiry:
      description: "C(certificates) (orakit's list), C(expiring) (those ending within O(within) days), C(skipped), C(within_days), C(now)."
      type: dict
      returned: always
expiring:
  description: Whether any certificate ends within O(within) days.
  returned: always
  type: bool
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.orakit.tcps.plugins.module_utils.orakit import (
    ENV_WALLET_PASSWORD, ORAKIT_COMMON_ARGS, Orakit)


def main():
    argument_spec = dict(
        paths=dict(type='list', elements='path', required=True),
        within=dict(type='int', default=30),
        password=dict(type='str', no_log=True),
        fail_when_expiring=dict(type='bool', default=False),
    )
    argument_spec.update(ORAKIT_COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    orakit = Orakit(module)
    args = ['expiry', '--json', '--within', str(p['within'])]
    secrets = {}
    if p['password'] is not None:
        args += ['--password-env', ENV_WALLET_PASSWORD]
        secrets[ENV_WALLET_PASSWORD] = p['password']
    # Exit 3 is orakit's "something expires within the window", not an error.
    rc, doc = orakit.json(args + p['paths'], secrets=secrets, ok_rcs=(0, 3))
    certs = doc.get('certificates') or []
    expiring = [c for c in certs if c.get('expiring') or c.get('expired')]
    facts = dict(orakit_expiry=dict(certificates=certs, expiring=expiring, skipped=doc.get('skipped') or [],
                                    within_days=doc.get('within_days'), now=doc.get('now')))
    if p['fail_when_expiring'] and expiring:
        module.fail_json(msg='%d certificate(s) end within %d days: %s' % (
            len(expiring), p['within'], ', '.join('%s (%s, %s days)' % (c.get('subject'), c.get('file'),
                                                                        c.get('days_left')) for c in expiring)),
            ansible_facts=facts, expiring=True)
    module.exit_json(changed=False, ansible_facts=facts, expiring=bool(expiring))


if __name__ == '__main__':
    main()
