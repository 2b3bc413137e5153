#!/usr/bin/env bash
# End-to-end check of the harness itself, with nothing but curl:
#   (a) /readyz, (b) Deployment + status subresource, (c) RBAC with a
#   TokenRequest token, (d) 410 Gone after SIGUSR1, (e) restart with the same
#   --dir/--port keeps state and the old kubeconfig, (f) stdin EOF stops it.
# Usage: test/kube-harness/smoke.sh   (builds bin/kube-harness if missing)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin/kube-harness"
[ -x "$bin" ] || "$here/build.sh" || exit 1

work="$(mktemp -d)"
dir="$work/state"
pass=0 fail=0 pid=""
# The harness's stderr is kept in $SMOKE_LOG if set.
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; exec 3>&- 2>/dev/null; [ -n "${SMOKE_LOG:-}" ] && cp "$work/err" "$SMOKE_LOG"; rm -rf "$work"' EXIT
check() { # check NAME CMD...: run CMD, count the result
  if "${@:2}"; then echo "ok   - $1"; pass=$((pass + 1)); else echo "FAIL - $1"; fail=$((fail + 1)); fi
}

# start [PORT]: starts the harness with stdin on a fifo held open by fd 3 and
# waits for its ready line. Only etcd and the apiserver (--no-controllers): this
# checks their mechanics, and (b) writes a Deployment's status, which the
# deployment controller would rewrite. The e2e suite covers the controllers.
start() {
  mkfifo "$work/stdin.$$" 2>/dev/null || true
  "$bin" --dir "$dir" --port "${1:-0}" --no-controllers --exit-on-stdin-eof <"$work/stdin.$$" >"$work/out" 2>>"$work/err" &
  pid=$!
  exec 3>"$work/stdin.$$"
  for _ in $(seq 1 300); do
    [ -s "$work/out" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  ready="$(head -n1 "$work/out")"
  echo "ready line: $ready"
  port="$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' <<<"$ready")"
  server="https://127.0.0.1:$port"
}

# Credentials from the kubeconfig (inline base64 data), as any client uses them.
creds() {
  local kc="$1" out="$2"
  mkdir -p "$out"
  sed -n 's/^ *certificate-authority-data: //p' "$kc" | base64 -d >"$out/ca.crt"
  sed -n 's/^ *client-certificate-data: //p' "$kc" | base64 -d >"$out/client.crt"
  sed -n 's/^ *client-key-data: //p' "$kc" | base64 -d >"$out/client.key"
}
# The apiserver pretty-prints JSON for a curl User-Agent: ask for compact JSON.
c() { curl -sS -A kube-harness-smoke --cacert "$work/creds/ca.crt" "$@"; }
# asadmin CURL-ARGS...: curl with the kubeconfig's client certificate.
asadmin() { c --cert "$work/creds/client.crt" --key "$work/creds/client.key" "$@"; }
# admin METHOD PATH [BODY [CONTENT-TYPE]]: prints the body, then the status code.
admin() {
  asadmin -X "$1" -H "Content-Type: ${4:-application/json}" ${3:+--data "$3"} -w '\n%{http_code}' "$server$2"
}
bearer() { # bearer TOKEN PATH
  c -H "Authorization: Bearer $1" -w '\n%{http_code}' "$server$2"
}
# watch_from RV: a 3-second watch of the smoke namespace's deployments.
list_rv() { # list_rv: the resourceVersion of a fresh LIST of the smoke namespace's deployments
  admin GET /apis/apps/v1/namespaces/smoke/deployments |
    sed -n 's/^{"kind":"DeploymentList","apiVersion":"apps\/v1","metadata":{"resourceVersion":"\([0-9]*\)".*/\1/p'
}
watch_from() {
  asadmin -m 3 "$server/apis/apps/v1/namespaces/smoke/deployments?watch=1&resourceVersion=$1" 2>/dev/null
}
code() { tail -n1 <<<"$1"; }
has() { grep -q -- "$2" <<<"$1"; }

start 0
check "harness printed its ready line" test -n "$port"
check "kubeconfig written" test -s "$dir/kubeconfig"
creds "$dir/kubeconfig" "$work/creds"
cp "$dir/kubeconfig" "$work/kubeconfig.first"

# (a)
r="$(admin GET /readyz)"
check "(a) /readyz is ok over verified TLS with the kubeconfig's client cert" has "$r" $'^ok'

# (b)
r="$(admin POST /api/v1/namespaces '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"smoke"}}')"
check "(b) create namespace" test "$(code "$r")" = 201
dep='{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}'
r="$(admin POST /apis/apps/v1/namespaces/smoke/deployments "$dep")"
check "(b) create deployment" test "$(code "$r")" = 201
r="$(admin PATCH /apis/apps/v1/namespaces/smoke/deployments/web/status \
  '{"status":{"replicas":2,"readyReplicas":2,"availableReplicas":2}}' application/merge-patch+json)"
check "(b) patch deployment /status" test "$(code "$r")" = 200
r="$(admin GET /apis/apps/v1/namespaces/smoke/deployments/web)"
check "(b) status.availableReplicas persisted" has "$r" '"availableReplicas":2'
svc='{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}'
r="$(admin POST /api/v1/namespaces/smoke/services "$svc")"
check "(b) create service (ClusterIP allocated)" has "$r" '"clusterIP":"10.96.'

# (c)
admin POST /api/v1/namespaces/smoke/serviceaccounts '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"reader"}}' >/dev/null
admin POST /apis/rbac.authorization.k8s.io/v1/namespaces/smoke/roles '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role",
  "metadata":{"name":"deploy-reader"},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["get","list","watch"]}]}' >/dev/null
r="$(admin POST /apis/rbac.authorization.k8s.io/v1/namespaces/smoke/rolebindings '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
  "metadata":{"name":"deploy-reader"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"deploy-reader"},
  "subjects":[{"kind":"ServiceAccount","name":"reader","namespace":"smoke"}]}')"
check "(c) create SA, Role, RoleBinding" test "$(code "$r")" = 201
r="$(admin POST /api/v1/namespaces/smoke/serviceaccounts/reader/token '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600}}')"
token="$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$r")"
check "(c) TokenRequest returned a token" test -n "$token"
r="$(c -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X POST --data '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' "$server/apis/authentication.k8s.io/v1/selfsubjectreviews")"
check "(c) token authenticates as system:serviceaccount:smoke:reader" has "$r" '"username":"system:serviceaccount:smoke:reader"'
r="$(bearer "$token" /apis/apps/v1/namespaces/smoke/deployments)"
check "(c) token can list deployments (200)" test "$(code "$r")" = 200
r="$(bearer "$token" /api/v1/namespaces/smoke/secrets/anything)"
check "(c) token gets 403 for get secrets" test "$(code "$r")" = 403
r="$(bearer "$token" /apis/apps/v1/namespaces/default/deployments)"
check "(c) token gets 403 for deployments in another namespace" test "$(code "$r")" = 403
r="$(bearer "not-a-token" /apis/apps/v1/namespaces/smoke/deployments)"
check "(c) a bogus token gets 401" test "$(code "$r")" = 401

# (d)
r="$(admin GET /apis/apps/v1/namespaces/smoke/deployments/web)"
oldrv="$(sed -n 's/.*"resourceVersion":"\([0-9]*\)".*/\1/p' <<<"$r" | head -n1)"
admin PATCH /apis/apps/v1/namespaces/smoke/deployments/web '{"metadata":{"labels":{"touched":"1"}}}' application/merge-patch+json >/dev/null
w="$(watch_from "$oldrv")"
check "(d) before SIGUSR1 a watch from rv $oldrv replays the change" has "$w" '"type":"MODIFIED"'
headrv="$(list_rv)" # the newest resourceVersion a client can hold
kill -USR1 "$pid"
for _ in $(seq 1 50); do grep -q 'compacted etcd at revision' "$work/err" && break; sleep 0.1; done
check "(d) SIGUSR1 logged the compaction" grep -q 'compacted etcd at revision' "$work/err"
w="$(watch_from "$oldrv")"
echo "     watch after compaction: $w"
check "(d) after SIGUSR1 the same watch gets an ERROR event with code 410" \
  bash -c 'grep -q "\"type\":\"ERROR\"" <<<"$1" && grep -q "\"code\":410" <<<"$1"' _ "$w"
w="$(watch_from "$headrv")"
check "(d) so does a watch from the newest LIST rv taken before SIGUSR1 ($headrv)" has "$w" '"code":410'

# (e)
asadmin -N "$server/apis/apps/v1/namespaces/smoke/deployments?watch=1" >/dev/null 2>&1 &
wpid=$!
sleep 0.5
t0=$(date +%s.%N)
kill -TERM "$pid"; wait "$pid"; rc=$?
t1=$(date +%s.%N)
secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')"
echo "     SIGTERM with an open watch -> exit $rc in ${secs}s"
check "(e) SIGTERM exits 0 within 5s although a watch is open" awk -v r="$rc" -v s="$secs" 'BEGIN{exit !(r == 0 && s < 5)}'
wait "$wpid"
check "(e) the open watch was ended by the server (curl exit 0)" test "$?" = 0
exec 3>&-
oldport="$port"
: >"$work/out"
start "$oldport"
check "(e) restarted on the same port" test "$port" = "$oldport"
check "(e) kubeconfig unchanged by the restart" cmp -s "$dir/kubeconfig" "$work/kubeconfig.first"
creds "$work/kubeconfig.first" "$work/creds" # the OLD kubeconfig's credentials
r="$(admin GET /api/v1/namespaces/smoke)"
check "(e) namespace survived the restart (old kubeconfig)" test "$(code "$r")" = 200
r="$(admin GET /apis/apps/v1/namespaces/smoke/deployments/web)"
check "(e) deployment and its status survived" has "$r" '"availableReplicas":2'
r="$(bearer "$token" /apis/apps/v1/namespaces/smoke/deployments)"
check "(e) the pre-restart SA token still works" test "$(code "$r")" = 200
w="$(watch_from "$oldrv")"
check "(e) the compaction survived the restart (old rv still 410)" has "$w" '"code":410'
listrv="$(list_rv)"
w="$(watch_from "$listrv")"
check "(e) a watch from a fresh LIST's rv ($listrv) is accepted" bash -c '[ -n "$1" ] && ! grep -q "\"code\":410" <<<"$2"' _ "$listrv" "$w"

# (f)
exec 3>&- # close our end of the harness's stdin
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid"; rc=$?
check "(f) stdin EOF stops it with exit 0" test "$rc" = 0
pid=""

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
