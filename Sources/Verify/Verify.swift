/// Release documents, hash chain, keys and Ed25519 signatures through libsodium (DESIGN.md §5).
import CSodium
public enum Verify {}
