#!/usr/bin/env bash
# Proves the container's runtime set without Docker: build, then do what the Dockerfile's runtime stage
# does (dist + package.json + lockfile, `npm ci --omit=dev`) in a clean temp folder, start the server
# there on a free port, and check /healthz, /, /docs and /v1/methods, then one request per compute family
# (a heavy forward pass on the worker pool, parameter accounting, a memory estimate, a forward sweep, the
# seed-notebook comparison) and the charts (the notebook figure, a sweep as SVG, a comparison as vega-lite).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run build --silent
work=$(mktemp -d)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r dist package.json package-lock.json "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "smoke: production install in $work: $(cd "$work" && npm ls --omit=dev --depth=0 --parseable | wc -l) top-level packages"

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
(cd "$work" && PORT=$port HOST=127.0.0.1 LOG_LEVEL=warn exec node dist/server.js) &
pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 50); do
  node -e "fetch('$base/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
  sleep 0.2
done

check() { # path, expected status, text that must appear
  node -e "
    fetch('$base$1').then(async (r) => {
      const body = await r.text();
      if (r.status !== $2 || !body.includes(process.argv[1])) { console.error('smoke: FAIL $1 →', r.status, body.slice(0, 200)); process.exit(1); }
      console.log('smoke: ok   $1 →', r.status, r.headers.get('content-type'));
    }, (e) => { console.error('smoke: FAIL $1', e.message); process.exit(1); });
  " "$3"
}
check /healthz 200 '"status":"ok"'
check / 200 '<a href="/docs">'
check / 200 '<svg xmlns="http://www.w3.org/2000/svg"'
check /v1/compare/seed-notebook.svg 200 'Adapter bottleneck vs parameters'
check /docs/ 200 'swagger-ui'
check /docs/static/swagger-ui-bundle.js 200 'SwaggerUI'
check /v1/methods 200 '"lora"'
check /openapi.json 200 '"openapi": "3.1.0"'

post() { # path, JSON body, text that must appear
  node -e "
    fetch('$base$1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.argv[1] }).then(async (r) => {
      const body = await r.text();
      if (r.status !== 200 || !body.includes(process.argv[2])) { console.error('smoke: FAIL POST $1 →', r.status, body.slice(0, 300)); process.exit(1); }
      console.log('smoke: ok   POST $1 →', r.status, process.argv[2]);
    }, (e) => { console.error('smoke: FAIL POST $1', e.message); process.exit(1); });
  " "$2" "$3"
}
# A heavy pass runs on the worker pool: proves the worker file loads from the production dist/, and
# that ONNX Runtime's CPU binary ships in the production install (its postinstall never runs) on a
# worker thread and on the event loop.
post /v1/forward/lora '{"seed":1,"batch":4,"seq":64,"in_features":1024,"out_features":1024,"r":16,"output":"summary"}' '"executed_on":"worker_pool","engine":"onnxruntime"'
post /v1/forward/lora '{"batch":1,"seq":2,"in_features":128,"out_features":128,"r":4,"seed":3,"output":"summary"}' '"executed_on":"event_loop","engine":"onnxruntime"'
post /v1/parameters '{"model":{"preset":"meta-llama/Llama-3.2-1B"},"peft":{"peft_type":"LORA","r":8,"lora_alpha":32,"target_modules":["q_proj"]}}' 'trainable params: 524,288 || all params: 1,236,338,688 || trainable%: 0.0424'
post /v1/estimates/memory '{"model":{"preset":"meta-llama/Llama-2-7b-hf"},"peft":{"peft_type":"LORA","r":8,"target_modules":["q_proj","v_proj"]},"training":{"batch_size":1,"seq_len":1304}}' '"total_bytes"'
# Sweeps run their heavy forward points on their own pool, and the comparison reproduces the seed notebook.
post /v1/sweeps '{"target":"forward/lora","base":{"seed":1,"batch":4,"seq":64,"in_features":1024,"out_features":1024},"axes":[{"path":"r","values":[8,16]}],"metrics":["flops"]}' '"forward_cost"'
post /v1/compare '{"preset":"seed-notebook"}' '"formatted":"12,582,912"'
# Charts render with vega and vega-lite from the production install.
post /v1/sweeps '{"target":"parameters","base":{"model":{"preset":"meta-llama/Llama-2-7b-hf"},"peft":{"peft_type":"LORA","r":8,"target_modules":["q_proj","v_proj"]}},"axes":[{"path":"peft.r","values":[4,8,16]}],"metrics":["trainable_params"],"format":"svg"}' 'trainable_params vs peft.r'
post /v1/compare '{"preset":"seed-notebook","format":"vega-lite"}' '"$schema":"https://vega.github.io/schema/vega-lite/v6.json"'

kill -TERM "$pid"
wait "$pid" && echo "smoke: clean exit on SIGTERM" || { echo "smoke: FAIL exit status $? on SIGTERM"; exit 1; }
pid=
echo "smoke: passed"
