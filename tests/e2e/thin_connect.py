"""Connects with python-oracledb in thin mode to a TCPS endpoint and reports how far it got.

Usage: thin_connect.py HOST PORT SERVICE WALLET_DIR

Prints one JSON object: {"connected": bool, "error": "<full error text incl. causes>"}.
The test server is `openssl s_server`, which speaks TLS but not Oracle Net, so the best
possible result is a completed TLS handshake followed by an Oracle protocol failure
(DPY-4011 / connection closed); a certificate problem shows as CERTIFICATE_VERIFY_FAILED.
The wallet password, when needed, comes from the ORAKIT_TEST_WALLET_PASSWORD variable.
"""

import json
import os
import sys

import oracledb


def main() -> int:
    host, port, service, wallet_dir = sys.argv[1:5]
    params = dict(
        dsn=f"tcps://{host}:{port}/{service}",
        user="nobody",
        password="not-a-real-password",
        wallet_location=wallet_dir,
        tcp_connect_timeout=5,
        retry_count=0,
    )
    wallet_password = os.environ.get("ORAKIT_TEST_WALLET_PASSWORD")
    if wallet_password:
        params["wallet_password"] = wallet_password
    try:
        conn = oracledb.connect(**params)
        conn.close()
        print(json.dumps({"connected": True, "error": ""}))
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure is data for the test
        parts = []
        seen = set()
        cur = exc
        while cur is not None and id(cur) not in seen:
            seen.add(id(cur))
            parts.append(f"{type(cur).__name__}: {cur}")
            cur = cur.__cause__ or cur.__context__
        print(json.dumps({"connected": False, "error": " | ".join(parts)}))
        return 0


if __name__ == "__main__":
    sys.exit(main())
