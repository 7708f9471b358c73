/// Every rule `schema lint`, `schema diff`, `schema gate` and `consent check` can report. docs/schema-rules.md lists them
/// with these summaries; a test keeps the two in step.
public enum Rule: String, Sendable, Hashable, CaseIterable {
    // lint: the schema must be closed
    case notASchema = "NOT_A_SCHEMA"
    case dialect = "DIALECT"
    case unknownKeyword = "UNKNOWN_KEYWORD"
    case forbiddenKeyword = "FORBIDDEN_KEYWORD"
    case booleanSubschema = "BOOLEAN_SUBSCHEMA"
    case keywordInvalid = "KEYWORD_INVALID"
    case keywordNotApplicable = "KEYWORD_NOT_APPLICABLE"
    case objectOpen = "OBJECT_OPEN"
    case additionalPropertiesSchema = "ADDITIONAL_PROPERTIES_SCHEMA"
    case requiredUndeclared = "REQUIRED_UNDECLARED"
    case typeMissing = "TYPE_MISSING"
    case typeUnsupported = "TYPE_UNSUPPORTED"
    case stringFreeText = "STRING_FREE_TEXT"
    case formatWithoutPattern = "FORMAT_WITHOUT_PATTERN"
    case patternNotAnchored = "PATTERN_NOT_ANCHORED"
    case patternNotASCII = "PATTERN_NOT_ASCII"
    case patternUnsupported = "PATTERN_UNSUPPORTED"
    case patternUnbounded = "PATTERN_UNBOUNDED"
    case numberUnbounded = "NUMBER_UNBOUNDED"
    case numberDecimalsUnbounded = "NUMBER_DECIMALS_UNBOUNDED"
    case boundBeyondSafeInteger = "BOUND_BEYOND_SAFE_INTEGER"
    case arrayWithoutItems = "ARRAY_WITHOUT_ITEMS"
    case arrayUnbounded = "ARRAY_UNBOUNDED"
    case uniqueItemsWeak = "UNIQUE_ITEMS_WEAK"
    case enumInvalid = "ENUM_INVALID"
    case refNotLocal = "REF_NOT_LOCAL"
    case refUnresolved = "REF_UNRESOLVED"
    case refWithSiblings = "REF_WITH_SIBLINGS"
    case extensionInvalid = "EXTENSION_INVALID"
    case versionConstMissing = "VERSION_CONST_MISSING"

    // diff: how a change moves the accepted set
    case propertyAdded = "PROPERTY_ADDED"
    case propertyRemoved = "PROPERTY_REMOVED"
    case requiredAdded = "REQUIRED_ADDED"
    case requiredRemoved = "REQUIRED_REMOVED"
    case enumValueAdded = "ENUM_VALUE_ADDED"
    case enumValueRemoved = "ENUM_VALUE_REMOVED"
    case enumReordered = "ENUM_REORDERED"
    case constChanged = "CONST_CHANGED"
    case boundWidened = "BOUND_WIDENED"
    case boundNarrowed = "BOUND_NARROWED"
    case objectOpened = "OBJECT_OPENED"
    case objectClosed = "OBJECT_CLOSED"
    case typeWidened = "TYPE_WIDENED"
    case typeNarrowed = "TYPE_NARROWED"
    case typeChanged = "TYPE_CHANGED"
    case patternChanged = "PATTERN_CHANGED"
    case formatChanged = "FORMAT_CHANGED"
    case decimalsChanged = "DECIMALS_CHANGED"
    case dateRangeChanged = "DATE_RANGE_CHANGED"
    case uniquenessChanged = "UNIQUENESS_CHANGED"
    case constraintAdded = "CONSTRAINT_ADDED"
    case constraintRemoved = "CONSTRAINT_REMOVED"
    case annotationChanged = "ANNOTATION_CHANGED"
    case keywordChanged = "KEYWORD_CHANGED"

    // gate: versions, the lock and the bump
    case releasedSchemaEdited = "RELEASED_SCHEMA_EDITED"
    case lockedVersionMismatch = "LOCKED_VERSION_MISMATCH"
    case lockNotConsecutive = "LOCK_NOT_CONSECUTIVE"
    case materialChangeWithoutBump = "MATERIAL_CHANGE_WITHOUT_BUMP"
    case versionSkipped = "VERSION_SKIPPED"
    case bumpWithoutMaterialChange = "BUMP_WITHOUT_MATERIAL_CHANGE"
    case unlockedSchema = "UNLOCKED_SCHEMA"
    case unlockedSchemasAmbiguous = "UNLOCKED_SCHEMAS_AMBIGUOUS"

    // consent: a member's consent against the schema in force
    case consentVoid = "CONSENT_VOID"

    public enum Kind: String, Sendable { case lint, diff, gate, consent }

    public var kind: Kind {
        switch self {
        case .notASchema, .dialect, .unknownKeyword, .forbiddenKeyword, .booleanSubschema, .keywordInvalid,
             .keywordNotApplicable, .objectOpen, .additionalPropertiesSchema, .requiredUndeclared, .typeMissing,
             .typeUnsupported, .stringFreeText, .formatWithoutPattern, .patternNotAnchored, .patternNotASCII,
             .patternUnsupported, .patternUnbounded, .numberUnbounded, .numberDecimalsUnbounded,
             .boundBeyondSafeInteger, .arrayWithoutItems, .arrayUnbounded, .uniqueItemsWeak, .enumInvalid,
             .refNotLocal, .refUnresolved, .refWithSiblings, .extensionInvalid, .versionConstMissing:
            return .lint
        case .propertyAdded, .propertyRemoved, .requiredAdded, .requiredRemoved, .enumValueAdded,
             .enumValueRemoved, .enumReordered, .constChanged, .boundWidened, .boundNarrowed, .objectOpened,
             .objectClosed, .typeWidened, .typeNarrowed, .typeChanged, .patternChanged, .formatChanged,
             .decimalsChanged, .dateRangeChanged, .uniquenessChanged, .constraintAdded, .constraintRemoved,
             .annotationChanged, .keywordChanged:
            return .diff
        case .releasedSchemaEdited, .lockedVersionMismatch, .lockNotConsecutive, .materialChangeWithoutBump,
             .versionSkipped, .bumpWithoutMaterialChange, .unlockedSchema, .unlockedSchemasAmbiguous:
            return .gate
        case .consentVoid:
            return .consent
        }
    }

    /// Lint, gate and consent rules are errors; a diff finding is a warning when it widens (consent-relevant),
    /// otherwise a note.
    func defaultSeverity(_ direction: ChangeDirection?) -> FindingSeverity {
        switch kind {
        case .lint, .gate, .consent: return .error
        case .diff: return direction == .widening ? .warning : .note
        }
    }

    /// What the rule means, in one sentence (docs/schema-rules.md).
    public var summary: String {
        switch self {
        case .notASchema: return "the document is not a JSON Schema object"
        case .dialect: return "$schema is missing or is not the JSON Schema 2020-12 URI, so validators may read the document under other rules"
        case .unknownKeyword: return "a keyword outside the allow-list (often a misspelling); validators ignore unknown keywords, so the constraint silently does nothing"
        case .forbiddenKeyword: return "a JSON Schema keyword the closed subset does not allow (patternProperties, anyOf, allOf, not, if/then/else, prefixItems, unevaluated*, multipleOf, …) because it can re-open the schema or is decided differently by validators"
        case .booleanSubschema: return "a subschema written as true or false; true accepts anything"
        case .keywordInvalid: return "a keyword's value has the wrong JSON type or an impossible value"
        case .keywordNotApplicable: return "a keyword that does not apply to the subschema's type (it would constrain nothing)"
        case .objectOpen: return "an object schema without \"additionalProperties\": false accepts any other member"
        case .additionalPropertiesSchema: return "additionalProperties is a schema or true instead of false, so unlisted members are accepted"
        case .requiredUndeclared: return "a required name has no entry in properties"
        case .typeMissing: return "a subschema without type, enum or const; bounds alone apply to one type only and anything else passes"
        case .typeUnsupported: return "type is a list or an unknown name; one type per subschema"
        case .stringFreeText: return "a string that is neither an enum, a const nor an anchored bounded pattern can carry free text"
        case .formatWithoutPattern: return "format alone is an annotation in 2020-12 and most validators do not assert it; pair it with an anchored ASCII pattern"
        case .patternNotAnchored: return "a pattern without ^ … $ around the whole expression matches any text that merely contains a match"
        case .patternNotASCII: return "a pattern that can match non-ASCII characters (\\d, \\w, ., negated classes, non-ASCII literals)"
        case .patternUnsupported: return "a pattern outside the subset lint can prove closed (lookaround, backreferences, lazy quantifiers, …)"
        case .patternUnbounded: return "a pattern that matches unboundedly many strings (*, +, {n,}) can carry free text"
        case .numberUnbounded: return "a number or integer without a lower and an upper bound"
        case .numberDecimalsUnbounded: return "a number without x-backpay-max-decimals can hide bits in its fraction"
        case .boundBeyondSafeInteger: return "a bound beyond ±(2^53−1), which binary64 validators cannot compare exactly"
        case .arrayWithoutItems: return "an array without items accepts elements of any shape"
        case .arrayUnbounded: return "an array without maxItems accepts any number of elements"
        case .uniqueItemsWeak: return "uniqueItems on objects only rejects entries equal in every member; use x-backpay-unique-by"
        case .enumInvalid: return "enum is empty, has duplicates or holds values other than strings of the declared type"
        case .refNotLocal: return "$ref must name #/$defs/NAME; remote and other references are not allowed"
        case .refUnresolved: return "$ref names a definition that does not exist"
        case .refWithSiblings: return "validation keywords beside $ref; put them in the referenced definition"
        case .extensionInvalid: return "an x-backpay-* keyword with a malformed value"
        case .versionConstMissing: return "the root has no required schema_version property with an integer const, so payloads do not say which version they follow"
        case .propertyAdded: return "a property was added to a closed object; payloads may now carry it"
        case .propertyRemoved: return "a property was removed; payloads that carry it are now rejected"
        case .requiredAdded: return "a property became required; payloads without it are now rejected"
        case .requiredRemoved: return "a property is no longer required; payloads without it are now accepted"
        case .enumValueAdded: return "an enum gained a value; payloads may now carry it"
        case .enumValueRemoved: return "an enum lost a value; payloads carrying it are now rejected"
        case .enumReordered: return "an enum's values were reordered; the accepted set is unchanged"
        case .constChanged: return "a const changed value; payloads carry the new value instead"
        case .boundWidened: return "a bound was relaxed or removed (minimum lowered, maximum raised, maxItems raised, …)"
        case .boundNarrowed: return "a bound was tightened or added"
        case .objectOpened: return "an object lost \"additionalProperties\": false; payloads may carry any member"
        case .objectClosed: return "an object gained \"additionalProperties\": false"
        case .typeWidened: return "the type now admits more values (integer → number, type removed)"
        case .typeNarrowed: return "the type now admits fewer values (number → integer)"
        case .typeChanged: return "the type changed to an unrelated one; both directions break"
        case .patternChanged: return "a pattern changed; the direction is shown by a string one side accepts and the other rejects"
        case .formatChanged: return "format changed while a pattern still decides the accepted strings"
        case .decimalsChanged: return "x-backpay-max-decimals changed; more decimals widen, fewer narrow"
        case .dateRangeChanged: return "the x-backpay-calendar-date range changed"
        case .uniquenessChanged: return "x-backpay-unique-by or uniqueItems changed which entries may repeat"
        case .constraintAdded: return "a validation keyword was added; fewer payloads are accepted"
        case .constraintRemoved: return "a validation keyword was removed; more payloads are accepted"
        case .keywordChanged: return "a keyword changed in a way the diff does not model (a malformed value, a keyword that does not apply to the type, an unreferenced definition); widening unless it provably constrains nothing"
        case .annotationChanged: return "an annotation (title, description, $comment, examples, default, deprecated, $id) changed; not material"
        case .releasedSchemaEdited: return "a schema file named in the lock no longer has its locked fingerprint; released versions are immutable"
        case .lockedVersionMismatch: return "a locked schema's schema_version const differs from the version the lock gives it"
        case .lockNotConsecutive: return "lock versions are not 0, 1, 2, … in order, or a fingerprint repeats"
        case .materialChangeWithoutBump: return "the schema changed materially but schema_version was not raised by one"
        case .versionSkipped: return "schema_version was raised by more than one, or lowered"
        case .bumpWithoutMaterialChange: return "schema_version was raised but nothing material changed; that would void consent for nothing"
        case .unlockedSchema: return "a schema file next to the lock is not in the lock yet (run schema gate --update-lock when it passes)"
        case .unlockedSchemasAmbiguous: return "more than one schema file next to the lock is not in the lock; propose one version at a time"
        case .consentVoid: return "the schema in force is not the version and fingerprint the member consented to; ask the member again, showing the widening changes since"
        }
    }
}
