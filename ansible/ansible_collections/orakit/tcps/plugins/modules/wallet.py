#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orakit contributors
# MIT or Apache-2.0 (see the orakit repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: wallet
short_description: Oracle wallet state (type, trusted certificates, key and user certificate) with orakit
description:
  - Makes an Oracle wallet directory (C(ewallet.p12) and/or C(cwallet.sso)) hold what is asked
    for and nothing is lost otherwise - the wallet type (password, auto-login, auto-login-only),
    the trusted certificates that must be present or absent, and the key with its user
    certificate.
  - The current state is read with C(orakit wallet display --json); only the differences are
    written, with C(orakit wallet create), C(convert), C(add-trusted), C(remove) and C(import).
    A second run with the same arguments changes nothing.
  - Check mode reports the planned changes without writing. Diff mode shows the wallet's
    entries (type, trusted and user certificates by subject and SHA-256) before and after.
  - The wallet password is handed to orakit in an environment variable, never on its command line.
version_added: 0.1.0
author:
  - orakit contributors (@orakit)
options:
  path:
    description: The wallet directory.
    type: path
    required: true
  state:
    description:
      - C(present) creates the wallet if needed and applies the other options.
      - C(absent) removes C(ewallet.p12), C(cwallet.sso) and C(ewallet.pem) from O(path) (the directory stays).
    type: str
    choices: [present, absent]
    default: present
  wallet_type:
    description:
      - C(password) is C(ewallet.p12) alone, C(auto-login) adds C(cwallet.sso),
        C(auto-login-only) is C(cwallet.sso) alone (the AWS DMS upload).
      - An existing wallet of another type is converted (C(orakit wallet convert)).
    type: str
    choices: [password, auto-login, auto-login-only]
    default: auto-login
  password:
    description:
      - The wallet password (C(ewallet.p12)). Needed to create or change a password or
        auto-login wallet; an auto-login-only wallet has none.
    type: str
  trusted_certs:
    description:
      - PEM or DER files on the managed host; every certificate in them must be a trusted
        certificate of the wallet. Compared by SHA-256 fingerprint.
    type: list
    elements: path
    default: []
  trusted_absent:
    description:
      - Trusted certificates to remove, each a SHA-256 fingerprint (hex, colons allowed) or a
        PEM/DER file on the managed host whose certificates are removed.
    type: list
    elements: str
    default: []
  purge_trusted:
    description: Remove every trusted certificate not listed in O(trusted_certs) (the last phase of a root rotation).
    type: bool
    default: false
  identity:
    description:
      - The key and user certificate the wallet must hold (files on the managed host). When
        the wallet's user certificate differs (by SHA-256), the old user certificates and
        their keys are removed and this pair imported with its chain.
    type: dict
    suboptions:
      key:
        description: The private key (PEM or DER; PKCS#8, PKCS#1 or SEC1).
        type: path
        required: true
      cert:
        description: Its certificate (a bundle may follow it with its CA chain).
        type: path
        required: true
      chain:
        description: CA certificates of the chain.
        type: path
      key_password:
        description: The password of an encrypted key.
        type: str
  target:
    description: Oracle release whose orapki the new wallet is written like (C(orakit --target)).
    type: str
    choices: ['11g', '12c', '19c', '19.30', '23ai']
  orakit_bin:
    description: Path of the orakit binary (default - found on PATH or in /usr/local/bin).
    type: path
attributes:
  check_mode:
    description: Reports what would change and writes nothing.
    support: full
  diff_mode:
    description: Shows the state before and after.
    support: full
notes:
  - Needs the orakit binary on the managed host (the C(orakit.tcps.fleet) role installs it).
seealso:
  - module: orakit.tcps.server_identity
  - module: orakit.tcps.expiry_info
'''

EXAMPLES = r'''
- name: The client / AWS DMS wallet on the controller, trusting the fleet's root
  orakit.tcps.wallet:
    path: /srv/tcps/client/wallet
    wallet_type: auto-login-only
    trusted_certs:
      - /srv/tcps/ca/ca.pem
  delegate_to: localhost

- name: A server wallet from a key and certificate issued elsewhere
  orakit.tcps.wallet:
    path: /u01/app/oracle/wallet/tls
    wallet_type: auto-login
    password: "{{ vault_wallet_password }}"
    identity:
      key: /etc/pki/db01.key
      cert: /etc/pki/db01.pem
      chain: /etc/pki/corp-chain.pem

- name: Root rotation, phase 3 - only the new root stays trusted
  orakit.tcps.wallet:
    path: /srv/tcps/client/wallet
    wallet_type: auto-login-only
    trusted_certs: [/srv/tcps/new-ca/ca.pem]
    purge_trusted: true
'''

RETURN = r'''
changes:
  description: What was (or in check mode would be) changed, one line each.
  returned: always
  type: list
  elements: str
  sample: ["create auto-login wallet", "add trusted CN=Example Root (3a5f...)"]
orakit_changes:
  description:
    - What orakit itself reported as changed (or, in check mode, would change) - the C(changes)
      list of the scripting contract of C(wallet create), C(add-trusted) and C(remove).
    - In check mode only for an existing wallet of the asked type (orakit's C(--check) speaks for
      the wallet as it is; C(convert) and C(import) have no C(--check) yet, they are planned from
      C(wallet display --json)).
  returned: when something changed
  type: list
  elements: dict
  sample: [{type: entry, path: /u01/app/oracle/wallet/tls, action: added, kind: trusted-certificate, name: CN=Example Root}]
wallet:
  description: The wallet after the run (before, in check mode) - type, trusted and user certificates.
  returned: when state is present
  type: dict
  sample:
    wallet_type: auto-login
    trusted: [{subject: CN=Example Root, sha256: 3a5f0c...}]
    user: [{subject: CN=db01, sha256: 9e1b2d..., not_after: "2027-12-02T02:11:07Z"}]
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.orakit.tcps.plugins.module_utils.orakit import (
    ENV_KEY_PASSWORD, ENV_WALLET_PASSWORD, ORAKIT_COMMON_ARGS, Orakit, fingerprint)

WALLET_FILES = ('ewallet.p12', 'cwallet.sso', 'ewallet.pem')
CREATE_FLAGS = {'password': [], 'auto-login': ['--auto-login'], 'auto-login-only': ['--auto-login-only']}


def wallet_exists(path):
    return any(os.path.exists(os.path.join(path, f)) for f in ('ewallet.p12', 'cwallet.sso'))


def read_state(orakit, path, password):
    """The wallet's type and certificates, from `orakit wallet display --json`."""
    args = ['wallet', 'display', '--json', '--wallet', path]
    secrets = {}
    if password is not None and os.path.exists(os.path.join(path, 'ewallet.p12')):
        args += ['--password-env', ENV_WALLET_PASSWORD]
        secrets[ENV_WALLET_PASSWORD] = password
    rc, doc = orakit.json(args, secrets=secrets)
    return {
        'wallet_type': doc.get('wallet_type'),
        'trusted': [{'subject': c.get('subject'), 'sha256': fingerprint(c.get('sha256_fingerprint'))}
                    for c in doc.get('trusted_certificates') or []],
        'user': [{'subject': c.get('subject'), 'sha256': fingerprint(c.get('sha256_fingerprint')),
                  'not_after': c.get('not_after')}
                 for c in doc.get('user_certificates') or []],
    }


def absent_fingerprints(orakit, items):
    found = []
    for item in items:
        if os.path.isfile(item):
            found += [fingerprint(c.get('sha256_fingerprint')) for c in orakit.certificates_in(item)]
        else:
            found.append(fingerprint(item))
    return found


def main():
    argument_spec = dict(
        path=dict(type='path', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        wallet_type=dict(type='str', default='auto-login',
                         choices=['password', 'auto-login', 'auto-login-only']),
        password=dict(type='str', no_log=True),
        trusted_certs=dict(type='list', elements='path', default=[]),
        trusted_absent=dict(type='list', elements='str', default=[]),
        purge_trusted=dict(type='bool', default=False),
        identity=dict(type='dict', options=dict(
            key=dict(type='path', required=True, no_log=False),
            cert=dict(type='path', required=True),
            chain=dict(type='path'),
            key_password=dict(type='str', no_log=True),
        )),
        target=dict(type='str', choices=['11g', '12c', '19c', '19.30', '23ai']),
    )
    argument_spec.update(ORAKIT_COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    path = p['path']
    password = p['password']
    changes = []

    if p['state'] == 'absent':
        present = [f for f in WALLET_FILES if os.path.exists(os.path.join(path, f))]
        changes = ['remove %s' % f for f in present]
        if present and not module.check_mode:
            for f in present:
                os.remove(os.path.join(path, f))
        module.exit_json(changed=bool(present), changes=changes,
                         diff=dict(before={'files': present}, after={'files': []}))

    orakit = Orakit(module)
    kind = p['wallet_type']
    needs_password = kind != 'auto-login-only'
    secrets = {ENV_WALLET_PASSWORD: password}
    pw_args = ['--password-env', ENV_WALLET_PASSWORD] if password is not None else []
    if needs_password and password is None and not wallet_exists(path):
        module.fail_json(msg='a %s wallet needs a password: set the password option (from a vault)' % kind)

    exists = wallet_exists(path)
    before = read_state(orakit, path, password) if exists else {'wallet_type': None, 'trusted': [], 'user': []}

    # The plan: what differs from what was asked for.
    wanted_trusted = []
    for f in p['trusted_certs']:
        for c in orakit.certificates_in(f):
            wanted_trusted.append((f, c.get('subject'), fingerprint(c.get('sha256_fingerprint'))))
    have = set(c['sha256'] for c in before['trusted'])
    add_files = []
    for f, subject, fp in wanted_trusted:
        if fp not in have:
            changes.append('add trusted %s (%s)' % (subject, fp[:16]))
            if f not in add_files:
                add_files.append(f)
    remove_fps = [fp for fp in absent_fingerprints(orakit, p['trusted_absent']) if fp in have]
    if p['purge_trusted']:
        keep = set(fp for f, s, fp in wanted_trusted)
        remove_fps += [c['sha256'] for c in before['trusted'] if c['sha256'] not in keep]
    remove_fps = sorted(set(remove_fps))
    for fp in remove_fps:
        subject = [c['subject'] for c in before['trusted'] if c['sha256'] == fp][0]
        changes.append('remove trusted %s (%s)' % (subject, fp[:16]))

    identity = p['identity']
    import_identity = False
    if identity:
        leaf = orakit.certificates_in(identity['cert'])[0]
        leaf_fp = fingerprint(leaf.get('sha256_fingerprint'))
        if [u['sha256'] for u in before['user']] != [leaf_fp]:
            import_identity = True
            for u in before['user']:
                changes.append('remove user certificate %s (%s) and its key' % (u['subject'], u['sha256'][:16]))
            changes.append('import key and user certificate %s (%s)' % (leaf.get('subject'), leaf_fp[:16]))
        if (import_identity or not exists) and needs_password and password is None:
            module.fail_json(msg='installing a key needs the wallet password (password option)')

    if not exists:
        changes.insert(0, 'create %s wallet' % kind)
    elif before['wallet_type'] != kind:
        changes.insert(0, 'convert %s wallet to %s' % (before['wallet_type'], kind))
        if needs_password and password is None:
            module.fail_json(msg='converting to %s needs the wallet password (password option)' % kind)

    # Every change to a wallet with an ewallet.p12 rewrites it, which takes its password.
    p12 = needs_password or before['wallet_type'] in ('password', 'auto-login')
    if changes and p12 and password is None:
        module.fail_json(msg='changing this wallet needs its password (password option)', changes=changes)
    if not p12:
        pw_args = []

    if not changes:
        module.exit_json(changed=False, changes=[], wallet=before, diff=dict(before=before, after=before))

    # The steps, in order. Those whose orakit command has the scripting contract (create,
    # add-trusted, remove) run with --json, and in check mode with --check on an existing
    # wallet, so the report carries orakit's own list of what changed (orakit_changes).
    target = ['--target', p['target']] if p['target'] else []
    steps = []
    if not exists:
        steps.append((['wallet', 'create', '--wallet', path] + CREATE_FLAGS[kind] + target + pw_args, True))
    elif before['wallet_type'] != kind:
        steps.append((['wallet', 'convert', '--wallet', path, '--to', kind] + target + pw_args, False))
    if add_files:
        args = ['wallet', 'add-trusted', '--wallet', path]
        for f in add_files:
            args += ['--cert', f]
        steps.append((args + pw_args, True))
    for fp in remove_fps:
        steps.append((['wallet', 'remove', '--wallet', path, '--kind', 'trusted', '--fingerprint', fp]
                      + pw_args, True))
    key_secrets = dict(secrets)
    if import_identity:
        for u in before['user']:
            steps.append((['wallet', 'remove', '--wallet', path, '--kind', 'user', '--yes',
                           '--fingerprint', u['sha256']] + pw_args, True))
        args = ['wallet', 'import', '--wallet', path, '--key', identity['key'], '--cert', identity['cert']]
        if identity.get('chain'):
            args += ['--chain', identity['chain']]
        if identity.get('key_password') is not None:
            args += ['--key-password-env', ENV_KEY_PASSWORD]
            key_secrets[ENV_KEY_PASSWORD] = identity['key_password']
        steps.append((args + pw_args, False))

    orakit_changes = []
    if module.check_mode:
        # orakit --check can only speak for steps on the wallet as it is now: the first
        # step, or every step when none of them changes the wallet's type or creation.
        if exists and before['wallet_type'] == kind:
            for args, contract in steps:
                if contract:
                    rc, doc = orakit.json(args + ['--json', '--check'], secrets=key_secrets)
                    orakit_changes += doc.get('changes') or []
        module.exit_json(changed=True, changes=changes, orakit_changes=orakit_changes, wallet=before,
                         diff=dict(before=before, after=plan_after(before, changes, kind)))

    if not exists and not os.path.isdir(path):
        os.makedirs(path, 0o700)
    for args, contract in steps:
        if contract:
            rc, doc = orakit.json(args + ['--json'], secrets=key_secrets)
            orakit_changes += doc.get('changes') or []
        else:
            orakit.run(args, secrets=key_secrets)

    after = read_state(orakit, path, password)
    module.exit_json(changed=after != before, changes=changes, orakit_changes=orakit_changes, wallet=after,
                     diff=dict(before=before, after=after))


def plan_after(before, changes, kind):
    """What check mode expects the wallet to look like: the type, and the planned changes."""
    after = dict(before)
    after['wallet_type'] = kind
    after['planned_changes'] = list(changes)
    return after


if __name__ == '__main__':
    main()
