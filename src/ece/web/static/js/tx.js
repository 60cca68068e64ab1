// Solana's transaction wire format, just enough to sign a transaction the server built:
// shortvec(signature count) + 64-byte signatures + message; signers are the message's first
// `numRequiredSignatures` account keys, and each signs the message bytes with Ed25519.

function readShortVec(bytes, offset) {
  let value = 0;
  let size = 0;
  for (;;) {
    const byte = bytes[offset + size];
    value |= (byte & 0x7f) << (7 * size);
    size += 1;
    if ((byte & 0x80) === 0) return [value, size];
  }
}

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * @param {Uint8Array} transaction
 * @param {Uint8Array} publicKey
 * @param {(message: Uint8Array) => Promise<Uint8Array>} sign
 */
export async function signTransaction(transaction, publicKey, sign) {
  const [count, prefix] = readShortVec(transaction, 0);
  const message = transaction.subarray(prefix + 64 * count);
  // A versioned (v0) message starts with 0x80 | version; a legacy one with its header.
  let offset = message[0] & 0x80 ? 1 : 0;
  const required = message[offset];
  offset += 3;
  const [, keysSize] = readShortVec(message, offset);
  offset += keysSize;
  for (let i = 0; i < Math.min(required, count); i++) {
    const key = message.subarray(offset + 32 * i, offset + 32 * (i + 1));
    if (equal(key, publicKey)) {
      const signed = transaction.slice();
      signed.set(await sign(message), prefix + 64 * i);
      return signed;
    }
  }
  throw new Error("This transaction does not need this wallet's signature.");
}

export function toBase64(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
