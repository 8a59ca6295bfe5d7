#!/usr/bin/env python3
"""Recomputes the expected signatures in s3-examples.json with botocore's S3SigV4Auth, an
implementation independent of Sextant's signer, and fails if any differs from the value the AWS
S3 documentation publishes (copied into the JSON by hand; see README.md).

    python3 tests/data/bedrock/sigv4/s3-examples/check-with-botocore.py
"""
import datetime
import json
import os
import sys
import urllib.parse
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))


class ExampleS3SigV4Auth(S3SigV4Auth):
    """The PUT example sends a Date header and X-Amz-Date, both signed; botocore never sends
    both (with a Date it rewrites that from the signing time and drops X-Amz-Date). This keeps
    the request's Date and adds X-Amz-Date; everything else is botocore's own S3 signing."""

    def _set_necessary_date_headers(self, request):
        if "X-Amz-Date" in request.headers:
            del request.headers["X-Amz-Date"]
        request.headers["X-Amz-Date"] = request.context["timestamp"]


def sign(data, case):
    # botocore's S3 serializer escapes the key into the URL (quote, safe "/~") and S3SigV4Auth
    # signs that path as it is
    url = "https://" + data["host"] + urllib.parse.quote(case["path"], safe="/~") + ("?" + case["query"] if case["query"] else "")
    request = AWSRequest(method=case["method"], url=url, data=case["body"].encode("utf-8"),
                         headers=dict(case["headers"]))
    request.headers["X-Amz-Content-SHA256"] = case["content_sha256"]
    when = datetime.datetime.strptime(data["time"], "%Y%m%dT%H%M%SZ")
    auth = ExampleS3SigV4Auth(Credentials(data["access_key_id"], data["secret_access_key"]), "s3",
                       data["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]   # the canonical request of what was signed
    return auth.canonical_request(request), authorization.split("Signature=")[1]


def main():
    with open(os.path.join(HERE, "s3-examples.json"), encoding="utf-8") as f:
        data = json.load(f)
    failed = False
    for case in data["cases"]:
        canonical, got = sign(data, case)
        ok = got == case["signature"] and canonical == case["canonical_request"]
        failed |= not ok
        print(("ok   " if ok else "FAIL ") + case["name"] + ": " + got)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
