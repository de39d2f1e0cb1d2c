#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: credential
short_description: Stored database credentials in an Oracle wallet (mkstore -createCredential) with orakit
description:
  - Makes the wallet hold (or not hold) a user and password for a connect string, for
    C(sqlplus /@alias) logins with C(SQLNET.WALLET_OVERRIDE = TRUE).
  - The stored credentials are read with C(orakit wallet credential list --json); the
    password is compared only when O(update_password=always), in memory, and is never returned.
  - Both passwords (the wallet's and the database user's) are C(no_log) and reach orakit in
    environment variables, never on its command line.
  - Check mode reports the change without writing; diff mode shows connect strings and users (never passwords).
version_added: 0.1.0
author:
  - orakit contributors (@orakit)
options:
  wallet:
    description: The wallet directory (it must exist; create it with M(orakit.tcps.wallet)).
    type: path
    required: true
  wallet_password:
    description: The wallet password.
    type: str
    required: true
  connect_string:
    description: The TNS alias or connect descriptor.
    type: str
    required: true
  username:
    description: The database user (required when O(state=present)).
    type: str
  password:
    description: The database user's password (required when O(state=present)).
    type: str
  update_password:
    description:
      - C(always) makes the stored password equal O(password) (it is read back to compare).
      - C(on_create) sets it only when the credential is created.
    type: str
    choices: [always, on_create]
    default: always
  state:
    description: Whether the credential is present or absent.
    type: str
    choices: [present, absent]
    default: present
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
'''

EXAMPLES = r'''
- name: The monitoring user's login for /@ORCLPDB1_SSL
  orakit.tcps.credential:
    wallet: /u01/app/oracle/wallet/dba
    wallet_password: "{{ vault_dba_wallet_password }}"
    connect_string: ORCLPDB1_SSL
    username: monitor
    password: "{{ vault_monitor_password }}"
'''

RETURN = r'''
credentials:
  description: The connect strings and users stored after the run (no passwords).
  returned: always
  type: list
  elements: dict
  sample: [{connect_string: ORCLPDB1_SSL, username: monitor}]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.orakit.tcps.plugins.module_utils.orakit import (
    ENV_SECRET, ENV_WALLET_PASSWORD, ORAKIT_COMMON_ARGS, Orakit)


def stored(orakit, wallet, secrets, with_secrets):
    args = ['wallet', 'credential', 'list', '--wallet', wallet, '--json', '--password-env', ENV_WALLET_PASSWORD]
    if with_secrets:
        args.append('--show-secrets')
    rc, doc = orakit.json(args, secrets=secrets)
    return doc.get('credentials') or []


def public(creds):
    return [{'connect_string': c.get('connect_string'), 'username': c.get('username')} for c in creds]


def main():
    argument_spec = dict(
        wallet=dict(type='path', required=True),
        wallet_password=dict(type='str', required=True, no_log=True),
        connect_string=dict(type='str', required=True),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        update_password=dict(type='str', default='always', choices=['always', 'on_create'], no_log=False),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )
    argument_spec.update(ORAKIT_COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('state', 'present', ('username', 'password'))])
    p = module.params
    orakit = Orakit(module)
    secrets = {ENV_WALLET_PASSWORD: p['wallet_password'], ENV_SECRET: p['password']}
    creds = stored(orakit, p['wallet'], secrets, p['update_password'] == 'always' and p['state'] == 'present')
    mine = [c for c in creds if c.get('connect_string') == p['connect_string']]
    base = ['--wallet', p['wallet'], '--connect-string', p['connect_string'], '--password-env', ENV_WALLET_PASSWORD]

    action = None
    if p['state'] == 'absent':
        if mine:
            action = ['wallet', 'credential', 'delete'] + base
    elif not mine:
        action = ['wallet', 'credential', 'add'] + base + ['--username', p['username'], '--secret-env', ENV_SECRET]
    else:
        cur = mine[0]
        if cur.get('username') != p['username'] or \
                (p['update_password'] == 'always' and cur.get('password') != p['password']):
            action = ['wallet', 'credential', 'modify'] + base + ['--username', p['username'],
                                                                  '--secret-env', ENV_SECRET]
    before = public(creds)
    if action is None or module.check_mode:
        after = [c for c in before if c['connect_string'] != p['connect_string']]
        if p['state'] == 'present':
            after.append({'connect_string': p['connect_string'], 'username': p['username']})
        module.exit_json(changed=action is not None, credentials=before,
                         diff=dict(before={'credentials': before}, after={'credentials': after}))
    orakit.run(action, secrets=secrets)
    after = public(stored(orakit, p['wallet'], secrets, False))
    module.exit_json(changed=True, credentials=after,
                     diff=dict(before={'credentials': before}, after={'credentials': after}))


if __name__ == '__main__':
    main()
