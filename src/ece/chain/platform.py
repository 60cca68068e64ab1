"""The platform's own wallets and mints, and the embedded chain's first-start bootstrap.

- ``custody``: owns the token accounts that hold every deposited asset and card; pays fees.
- ``authority``: mint authority of the embedded ECE and USDC stand-in mints, and the update
  authority of card metadata.
Keys live in ``<data_dir>/keys/*.json``, mode 0600, sealed with AES-256-GCM under a key derived
from ``ECE_SECRET_KEY`` (``ece.chain.sealing``; production refuses plain Solana CLI keypair files,
elsewhere they are read as they are). At scale they come from a KMS or HSM behind the same
sealing interface and the mints from settings. Only ``ece init`` creates keys: everything else
loads them and refuses to run without them, so a lost key file never becomes a new wallet.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction

from ece.chain.protocol import Chain
from ece.chain.sealing import KeySealing, UnsealError, is_sealed
from ece.chain.tokens import spl
from ece.core.money import Asset

# Enough SOL for years of embedded fees and rent.
BOOTSTRAP_LAMPORTS = 1_000_000 * 1_000_000_000


class PlatformSetupError(RuntimeError):
    """The keys, the chain state and the database do not describe one platform: refuse to start.

    The message names the problem and the fix; it never holds key material.
    """


def key_file_names(*, embedded: bool) -> list[str]:
    """The key files a platform needs: the mints' own keys only where the platform creates them."""
    names = ["custody.json", "authority.json"]
    if embedded:
        names += [f"mint-{asset.value.lower()}.json" for asset in Asset]
    return names


def load_keypair(path: Path, sealing: KeySealing | None = None) -> Keypair:
    """Read a key file (sealed, or a Solana CLI keypair file where ``sealing`` allows plain
    ones); a missing one is never replaced by a new key here."""
    if not path.exists():
        raise PlatformSetupError(
            f"platform key {path} is missing. A new installation starts with `ece init`; an "
            f"existing one must restore {path.parent.name}/{path.name} from its backup "
            "(starting without it would make a new, empty custody wallet)."
        )
    _refuse_loose_permissions(path)
    try:
        text = path.read_text()
        if is_sealed(text):
            if sealing is None:
                raise PlatformSetupError(
                    f"platform key {path} is sealed and no secret was given to open it "
                    "(ECE_SECRET_KEY; `ece keys rotate` also needs ECE_PREVIOUS_SECRET_KEY)."
                )
            return sealing.unseal(text, path.name)
        if sealing is not None and sealing.refuse_plain:
            raise PlatformSetupError(
                f"platform key {path} is a plain keypair file: production keeps keys sealed "
                "at rest. Run `ece keys rotate` to seal it under ECE_SECRET_KEY."
            )
        raw = json.loads(text)
        if not isinstance(raw, list):
            raise ValueError("not a JSON array of bytes")
        return Keypair.from_bytes(bytes(raw))
    except UnsealError:
        raise PlatformSetupError(
            f"platform key {path} does not open with this ECE_SECRET_KEY (sealed under another "
            "one, or altered): set the secret it was sealed with, or restore the file."
        ) from None
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        # JSONDecodeError and a short or out-of-range array are ValueErrors; a directory is an
        # OSError. The message names the file only: the content may be key material.
        raise PlatformSetupError(
            f"platform key {path} is unreadable or corrupt ({type(exc).__name__}): restore "
            f"{path.parent.name}/{path.name} from its backup (the platform never replaces a key)."
        ) from None


def _refuse_loose_permissions(path: Path) -> None:
    """Like ssh: a key others may read, or in a directory others may write, is refused."""
    folder = path.parent
    if folder.stat().st_mode & 0o022:
        raise PlatformSetupError(
            f"the keys directory {folder} is writable by group or others, who could swap a "
            f"key: run `chmod go-w {folder}` (or `chmod 700 {folder}`)."
        )
    mode = path.stat().st_mode
    if stat.S_ISREG(mode) and mode & 0o077:
        raise PlatformSetupError(
            f"platform key {path} is readable by group or others (mode "
            f"{stat.S_IMODE(mode):04o}): run `chmod 600 {path}`."
        )


def create_keypair(path: Path, sealing: KeySealing | None = None) -> Keypair:
    """Create a new key file readable by its owner only (sealed when ``sealing`` is given);
    never overwrites one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    keypair = Keypair()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(_key_text(keypair, path.name, sealing))
    return keypair


def _key_text(keypair: Keypair, name: str, sealing: KeySealing | None) -> str:
    return json.dumps(list(bytes(keypair))) if sealing is None else sealing.seal(keypair, name)


def reseal_keypair(path: Path, old: KeySealing | None, new: KeySealing) -> bool:
    """Rewrite ``path`` sealed under ``new`` (read plain, under ``new`` or under ``old``),
    atomically, mode 0600; whether it changed (False when already sealed under ``new``)."""
    try:
        keypair = load_keypair(path, new)
        if is_sealed(path.read_text()):
            return False
    except PlatformSetupError:
        keypair = load_keypair(path, old)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(_key_text(keypair, path.name, new))
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)
    return True


@dataclass(frozen=True)
class Platform:
    custody: Keypair
    authority: Keypair
    mints: dict[Asset, Pubkey]

    @property
    def custody_owner(self) -> Pubkey:
        return self.custody.pubkey()

    def mint(self, asset: Asset) -> Pubkey:
        return self.mints[asset]

    def custody_token_account(self, asset: Asset) -> Pubkey:
        return spl.get_associated_token_address(self.custody_owner, self.mints[asset])

    def custody_addresses(self) -> frozenset[Pubkey]:
        """Custody's wallet and its ECE and USDC accounts: never anyone's withdrawal or faucet."""
        return frozenset({self.custody_owner, *(self.custody_token_account(a) for a in Asset)})

    @classmethod
    def load(cls, keys_dir: Path, sealing: KeySealing | None = None) -> Platform:
        """The embedded platform: keys and mint addresses kept in ``keys_dir`` (all must exist)."""
        return cls(
            custody=load_keypair(keys_dir / "custody.json", sealing),
            authority=load_keypair(keys_dir / "authority.json", sealing),
            mints={
                asset: load_keypair(keys_dir / f"mint-{asset.value.lower()}.json", sealing).pubkey()
                for asset in Asset
            },
        )

    @property
    def pins(self) -> dict[str, str]:
        """The addresses the database records at ``ece init`` and every start compares."""
        return {
            "custody": str(self.custody_owner),
            "authority": str(self.authority.pubkey()),
            **{f"mint:{asset.value}": str(mint) for asset, mint in self.mints.items()},
        }


async def send_instructions(
    chain: Chain, instructions: Sequence[Instruction], signers: Sequence[Keypair], payer: Keypair
) -> Signature:
    """Build, sign with the latest blockhash and send on any ``Chain``."""
    latest = await chain.get_latest_blockhash()
    message = Message.new_with_blockhash(list(instructions), payer.pubkey(), latest.blockhash)
    by_key = {kp.pubkey(): kp for kp in [payer, *signers]}
    required = message.account_keys[: message.header.num_required_signatures]
    tx = Transaction([by_key[key] for key in required], message, latest.blockhash)
    return await chain.send_transaction(tx)


async def bootstrap_embedded(
    chain: Chain, platform: Platform, keys_dir: Path, sealing: KeySealing | None = None
) -> None:
    """First start of the embedded chain: fund the platform, create the mints and custody accounts.

    Safe to call on every start: it does only what is missing.
    """
    for wallet in (platform.custody, platform.authority):
        if await chain.get_balance(wallet.pubkey()) < BOOTSTRAP_LAMPORTS // 2:
            await chain.request_airdrop(wallet.pubkey(), BOOTSTRAP_LAMPORTS)
    rent = await chain.get_minimum_balance_for_rent_exemption(spl.MINT_LEN)
    for asset in Asset:
        mint = platform.mint(asset)
        instructions: list[Instruction] = []
        signers = [platform.custody]
        if await chain.get_account_info(mint) is None:
            mint_keypair = load_keypair(keys_dir / f"mint-{asset.value.lower()}.json", sealing)
            instructions += spl.create_mint_instructions(
                payer=platform.custody_owner,
                mint=mint,
                decimals=asset.decimals,
                mint_authority=platform.authority.pubkey(),
                rent_lamports=rent,
            )
            signers.append(mint_keypair)
        if await chain.get_account_info(platform.custody_token_account(asset)) is None:
            instructions.append(
                spl.create_associated_token_account_idempotent(
                    payer=platform.custody_owner, owner=platform.custody_owner, mint=mint
                )
            )
        if instructions:
            await send_instructions(chain, instructions, signers, platform.custody)
