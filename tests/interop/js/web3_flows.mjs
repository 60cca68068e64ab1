// Wallet flows of unmodified @solana/web3.js 1.x, @solana/spl-token and @solana/kit against the
// embedded chain: node web3_flows.mjs <http rpc url> <ws rpc url>. Prints one JSON line of what
// happened; any error or a hang past the deadline exits non-zero.
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import {
  createMint,
  getAccount,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  transfer,
} from "@solana/spl-token";
import {
  AccountRole,
  address,
  airdropFactory,
  appendTransactionMessageInstruction,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  generateKeyPairSigner,
  getSignatureFromTransaction,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";

const [httpUrl, wsUrl] = process.argv.slice(2);
const deadline = setTimeout(() => {
  console.error("deadline passed: a client hung");
  process.exit(3);
}, 90_000);

async function web3Flows() {
  const connection = new Connection(httpUrl, { commitment: "confirmed", wsEndpoint: wsUrl });
  const payer = Keypair.generate();
  const airdrop = await connection.requestAirdrop(payer.publicKey, 2 * LAMPORTS_PER_SOL);
  const latest = await connection.getLatestBlockhash();
  await connection.confirmTransaction({ signature: airdrop, ...latest });

  const receiver = Keypair.generate();
  const solTx = new Transaction().add(
    SystemProgram.transfer({
      fromPubkey: payer.publicKey,
      toPubkey: receiver.publicKey,
      lamports: 5_000_000,
    }),
  );
  const solSignature = await sendAndConfirmTransaction(connection, solTx, [payer]);

  const mint = await createMint(connection, payer, payer.publicKey, null, 6);
  const from = await getOrCreateAssociatedTokenAccount(connection, payer, mint, payer.publicKey);
  const to = await getOrCreateAssociatedTokenAccount(connection, payer, mint, receiver.publicKey);
  await mintTo(connection, payer, mint, from.address, payer, 1_000_000n);
  const splSignature = await transfer(connection, payer, from.address, to.address, payer, 250_000n);
  const received = await getAccount(connection, to.address);
  return {
    payer: payer.publicKey.toBase58(),
    receiver: receiver.publicKey.toBase58(),
    solSignature,
    mint: mint.toBase58(),
    receiverTokenAccount: to.address.toBase58(),
    receiverTokens: received.amount.toString(),
    splSignature,
  };
}

async function kitFlow() {
  const rpc = createSolanaRpc(httpUrl);
  const rpcSubscriptions = createSolanaRpcSubscriptions(wsUrl);
  const payer = await generateKeyPairSigner();
  const receiver = await generateKeyPairSigner();
  await airdropFactory({ rpc, rpcSubscriptions })({
    commitment: "confirmed",
    lamports: lamports(1_000_000_000n),
    recipientAddress: payer.address,
  });
  // SystemProgram Transfer: u32 instruction 2, u64 lamports, little-endian.
  const data = new Uint8Array(12);
  const view = new DataView(data.buffer);
  view.setUint32(0, 2, true);
  view.setBigUint64(4, 3_000_000n, true);
  const instruction = {
    programAddress: address("11111111111111111111111111111111"),
    accounts: [
      { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
      { address: receiver.address, role: AccountRole.WRITABLE },
    ],
    data,
  };
  const { value: latestBlockhash } = await rpc.getLatestBlockhash().send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latestBlockhash, m),
    (m) => appendTransactionMessageInstruction(instruction, m),
  );
  const signed = await signTransactionMessageWithSigners(message);
  await sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions })(signed, {
    commitment: "confirmed",
  });
  return { kitReceiver: receiver.address, kitSignature: getSignatureFromTransaction(signed) };
}

try {
  const result = { ...(await web3Flows()), ...(await kitFlow()) };
  console.log(JSON.stringify(result));
  clearTimeout(deadline);
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
