// A wallet's view of ECE, with unmodified @solana/wallet-standard-util and @solana/pay:
// node wallet_flows.mjs <https base url>. Signs in with a Wallet Standard SolanaSignInOutput
// (the message written by createSignInMessage from our SolanaSignInInput, checked by
// verifySignIn), opens a deposit, and pays it through its Solana Pay transaction request
// (parseURL, then fetchTransaction from the link), then finds it back by its reference
// (findReference, validateTransfer). Prints one JSON line of what happened; any error or a hang
// past the deadline exits non-zero.
import { createPrivateKey, randomUUID, sign } from "node:crypto";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { fetchTransaction, findReference, parseURL, validateTransfer } from "@solana/pay";
import { createSignInMessage, verifySignIn } from "@solana/wallet-standard-util";
import BigNumber from "bignumber.js";

const [baseUrl] = process.argv.slice(2);
const deadline = setTimeout(() => {
  console.error("deadline passed: a client hung");
  process.exit(3);
}, 90_000);

const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

function ed25519Sign(keypair, message) {
  const key = createPrivateKey({
    format: "jwk",
    key: {
      kty: "OKP",
      crv: "Ed25519",
      d: b64url(keypair.secretKey.slice(0, 32)),
      x: b64url(keypair.publicKey.toBytes()),
    },
  });
  return new Uint8Array(sign(null, message, key));
}

async function call(method, path, body, token) {
  const headers = { "Content-Type": "application/json", "Idempotency-Key": randomUUID() };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function signIn(keypair) {
  const { input } = await call("POST", "/api/v1/auth/challenge", {});
  if ("address" in input) throw new Error("an address-less challenge named an address");
  // What a wallet's solana:signIn does: complete the input with its account, write, sign.
  const address = keypair.publicKey.toBase58();
  const signedMessage = createSignInMessage({ ...input, address });
  const output = {
    account: { address, publicKey: keypair.publicKey.toBytes() },
    signedMessage,
    signature: ed25519Sign(keypair, signedMessage),
    signatureType: "ed25519",
  };
  if (!verifySignIn(input, output)) throw new Error("verifySignIn refused our sign-in");
  const tampered = { ...output, signature: ed25519Sign(Keypair.generate(), signedMessage) };
  if (verifySignIn(input, tampered)) throw new Error("verifySignIn accepted a forged signature");
  const login = await call("POST", "/api/v1/auth/login", {
    output: {
      account: { address, publicKey: b64(output.account.publicKey) },
      signedMessage: b64(signedMessage),
      signature: b64(output.signature),
      signatureType: "ed25519",
    },
  });
  return { token: login.access_token, loggedIn: login.user.address };
}

async function confirmed(connection, signature) {
  for (;;) {
    const { value } = await connection.getSignatureStatuses([signature]);
    const status = value[0];
    if (status?.err) throw new Error(`transaction failed: ${JSON.stringify(status.err)}`);
    if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function payByLink(connection, keypair, token) {
  for (const asset of ["SOL", "USDC"]) {
    await call("POST", "/api/v1/dev/faucet", { asset, amount: "2" }, token);
  }
  const deposit = await call("POST", "/api/v1/deposits", { asset: "USDC", amount: "1.5" }, token);
  const request = parseURL(deposit.transaction_request_url);
  if (!("link" in request)) throw new Error("parseURL did not read a transaction request");
  const shown = await (await fetch(request.link)).json();
  const transaction = await fetchTransaction(connection, keypair.publicKey, request.link);
  transaction.partialSign(keypair);
  const signature = await connection.sendRawTransaction(transaction.serialize());
  await confirmed(connection, signature);

  // The transfer request of the same deposit, as a point-of-sale app would check it.
  const transfer = parseURL(deposit.solana_pay_url);
  const found = await findReference(connection, transfer.reference[0], { finality: "confirmed" });
  await validateTransfer(
    connection,
    found.signature,
    {
      recipient: transfer.recipient,
      amount: new BigNumber("1.5"),
      splToken: transfer.splToken,
      reference: transfer.reference,
    },
    { commitment: "confirmed" },
  );
  return {
    depositId: deposit.id,
    link: request.link.href,
    label: request.label,
    message: request.message,
    shownLabel: shown.label,
    shownIcon: shown.icon,
    signature,
    foundSignature: found.signature,
    transferAmount: transfer.amount.toString(),
  };
}

const keypair = Keypair.generate();
const connection = new Connection(`${baseUrl}/rpc`, "confirmed");
const { token, loggedIn } = await signIn(keypair);
const paid = await payByLink(connection, keypair, token);
clearTimeout(deadline);
console.log(JSON.stringify({ address: keypair.publicKey.toBase58(), loggedIn, token, ...paid }));
