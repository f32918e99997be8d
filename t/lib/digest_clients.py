"""Python clients of the Digest tests (run with Debian's /usr/bin/python3,
whose python3-requests is the one under test).

  digest_clients.py requests URL USER PASSWORD
      one GET with requests.auth.HTTPDigestAuth; prints the final status,
      how many responses came before it, and the algorithm requests used
  digest_clients.py stale URL USER PASSWORD SECONDS
      two GETs in one requests.Session, SECONDS apart
  digest_clients.py parallel URL USER PASSWORD ALGORITHM COUNT
      COUNT requests with nonce-counts 1..COUNT of one nonce, all at once,
      each on its own connection, then the same again; prints the statuses
"""
import hashlib
import http.client
import re
import sys
import threading
import time
import urllib.parse

import requests
from requests.auth import HTTPDigestAuth


def sent_algorithm(resp):
    auth = resp.request.headers.get("Authorization", "")
    m = re.search(r'algorithm="?([\w-]+)', auth)
    return m.group(1) if m else "-"


def one(url, user, password):
    try:
        r = requests.get(url, auth=HTTPDigestAuth(user, password), timeout=30)
    except Exception as e:  # requests 2.28 on SHA-512-256: TypeError
        print(f"error={type(e).__name__}")
        return
    print(f"status={r.status_code} history={len(r.history)} "
          f"algorithm={sent_algorithm(r)}")


def stale(url, user, password, seconds):
    s = requests.Session()
    s.auth = HTTPDigestAuth(user, password)
    r1 = s.get(url, timeout=30)
    time.sleep(float(seconds))
    r2 = s.get(url, timeout=30)
    print(f"first={r1.status_code} history={len(r1.history)} "
          f"second={r2.status_code} history={len(r2.history)} "
          f"second_401_stale={'stale=true' in (r2.history[0].headers.get('WWW-Authenticate', '') if r2.history else '')}")


def H(alg, s):
    name = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}[alg]
    return hashlib.new(name, s.encode()).hexdigest()


def parallel(url, user, password, alg, count):
    u = urllib.parse.urlsplit(url)
    path = u.path
    r = requests.get(url, timeout=30)
    chal = [c for c in re.split(r",\s*(?=Digest )", r.headers["WWW-Authenticate"])
            if f"algorithm={alg}," in c + ","][0]
    p = dict(re.findall(r'(\w+)="?([^",]*)"?', chal))
    ha1 = H(alg, f"{user}:{p['realm']}:{password}")
    ha2 = H(alg, f"GET:{path}")

    def header(nc):
        ncv, cn = f"{nc:08x}", f"cn{nc}"
        resp = H(alg, f"{ha1}:{p['nonce']}:{ncv}:{cn}:auth:{ha2}")
        return (f'Digest username="{user}", realm="{p["realm"]}", '
                f'nonce="{p["nonce"]}", uri="{path}", algorithm={alg}, '
                f'qop=auth, nc={ncv}, cnonce="{cn}", response="{resp}", '
                f'opaque="{p["opaque"]}"')

    def run():
        results = [None] * count
        barrier = threading.Barrier(count)

        def worker(i):
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            barrier.wait()
            conn.request("GET", path, headers={"Authorization": header(i + 1)})
            results[i] = conn.getresponse().status
            conn.close()

        threads = [threading.Thread(target=worker, args=(i,))
                   for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    first = run()
    again = run()
    print("first=" + ",".join(map(str, first)))
    print("again=" + ",".join(map(str, again)))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "requests":
        one(*args)
    elif cmd == "stale":
        stale(*args)
    elif cmd == "parallel":
        parallel(args[0], args[1], args[2], args[3], int(args[4]))
    else:
        sys.exit(f"unknown command {cmd}")
