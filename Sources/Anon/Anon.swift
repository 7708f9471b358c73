/// Aggregation, k-threshold, dominance, secondary suppression and the disclosure audit (DESIGN.md §5).
public enum Anon {}
