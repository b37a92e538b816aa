namespace Distal.Parquet;

/// <summary>The value kinds of parquet.thrift fields, as Parquet.Net 6.1's generated code reads them.</summary>
internal enum ThriftKind : byte
{
    /// <summary>A boolean field: its value is the field header's type nibble (1 true, 2 false), no bytes follow.</summary>
    Bool,

    /// <summary>An i8: one raw byte.</summary>
    Byte,

    /// <summary>An i16: a zigzag varint of at most 5 bytes.</summary>
    I16,

    /// <summary>An i32 or an enum: a zigzag varint of at most 5 bytes.</summary>
    I32,

    /// <summary>An i64: a zigzag varint of at most 10 bytes.</summary>
    I64,

    /// <summary>A double: 8 bytes.</summary>
    Double,

    /// <summary>A string or binary: a varint length and that many bytes.</summary>
    Binary,

    /// <summary>A nested struct (or union).</summary>
    Struct,

    /// <summary>A list.</summary>
    List,
}

/// <summary>One field Parquet.Net reads: its kind, and for a list the element kind; for structs the element's struct.</summary>
internal readonly record struct ThriftField(ThriftKind Kind, ThriftKind Element = ThriftKind.Bool, ThriftStruct? Struct = null);

/// <summary>A struct of parquet.thrift: the fields Parquet.Net 6.1 reads by id. Any other id it skips by wire type.</summary>
internal sealed class ThriftStruct(string name, params (short Id, ThriftField Field)[] fields)
{
    private readonly Dictionary<short, ThriftField> _fields = fields.ToDictionary(f => f.Id, f => f.Field);

    public string Name { get; } = name;

    public bool TryGet(short id, out ThriftField field) => _fields.TryGetValue(id, out field);
}

/// <summary>
/// The structs Parquet.Net 6.1 reads from a file's footer (FileMetaData and everything it holds) and from each page
/// header (PageHeader), with every field id its generated code (Parquet/Meta/Parquet.cs at tag 6.1.0) reads and the
/// kind it reads it as. That code never compares a known field's wire type with the kind it reads, so a footer whose
/// type nibble was damaged is read by the wrong rule; <see cref="ThriftCheck"/> insists on the expected wire type.
/// Structs without fields (StringType, MilliSeconds, …) are read as structs whose every field is skipped.
/// </summary>
internal static class ParquetThriftSchema
{
    private static readonly ThriftStruct Empty = new("empty struct");

    private static ThriftField Bool => new(ThriftKind.Bool);

    private static ThriftField Byte => new(ThriftKind.Byte);

    private static ThriftField I16 => new(ThriftKind.I16);

    private static ThriftField I32 => new(ThriftKind.I32);

    private static ThriftField I64 => new(ThriftKind.I64);

    private static ThriftField Double => new(ThriftKind.Double);

    private static ThriftField Binary => new(ThriftKind.Binary);

    private static ThriftField Struct(ThriftStruct s) => new(ThriftKind.Struct, Struct: s);

    private static ThriftField ListOf(ThriftKind element) => new(ThriftKind.List, element);

    private static ThriftField ListOf(ThriftStruct s) => new(ThriftKind.List, ThriftKind.Struct, s);

    private static readonly ThriftStruct SizeStatistics = new("SizeStatistics", (1, I64), (2, ListOf(ThriftKind.I64)), (3, ListOf(ThriftKind.I64)));

    private static readonly ThriftStruct BoundingBox = new(
        "BoundingBox", (1, Double), (2, Double), (3, Double), (4, Double), (5, Double), (6, Double), (7, Double), (8, Double));

    private static readonly ThriftStruct GeospatialStatistics = new("GeospatialStatistics", (1, Struct(BoundingBox)), (2, ListOf(ThriftKind.I32)));

    private static readonly ThriftStruct Statistics = new(
        "Statistics", (1, Binary), (2, Binary), (3, I64), (4, I64), (5, Binary), (6, Binary), (7, Bool), (8, Bool));

    private static readonly ThriftStruct DecimalType = new("DecimalType", (1, I32), (2, I32));

    private static readonly ThriftStruct TimeUnit = new("TimeUnit", (1, Struct(Empty)), (2, Struct(Empty)), (3, Struct(Empty)));

    private static readonly ThriftStruct TimestampType = new("TimestampType", (1, Bool), (2, Struct(TimeUnit)));

    private static readonly ThriftStruct TimeType = new("TimeType", (1, Bool), (2, Struct(TimeUnit)));

    private static readonly ThriftStruct IntType = new("IntType", (1, Byte), (2, Bool));

    private static readonly ThriftStruct VariantType = new("VariantType", (1, Byte));

    private static readonly ThriftStruct GeometryType = new("GeometryType", (1, Binary));

    private static readonly ThriftStruct GeographyType = new("GeographyType", (1, Binary), (2, I32));

    private static readonly ThriftStruct LogicalType = new(
        "LogicalType",
        (1, Struct(Empty)), (2, Struct(Empty)), (3, Struct(Empty)), (4, Struct(Empty)), (5, Struct(DecimalType)), (6, Struct(Empty)),
        (7, Struct(TimeType)), (8, Struct(TimestampType)), (10, Struct(IntType)), (11, Struct(Empty)), (12, Struct(Empty)),
        (13, Struct(Empty)), (14, Struct(Empty)), (15, Struct(Empty)), (16, Struct(VariantType)), (17, Struct(GeometryType)),
        (18, Struct(GeographyType)));

    private static readonly ThriftStruct SchemaElement = new(
        "SchemaElement", (1, I32), (2, I32), (3, I32), (4, Binary), (5, I32), (6, I32), (7, I32), (8, I32), (9, I32), (10, Struct(LogicalType)));

    private static readonly ThriftStruct KeyValue = new("KeyValue", (1, Binary), (2, Binary));

    private static readonly ThriftStruct SortingColumn = new("SortingColumn", (1, I32), (2, Bool), (3, Bool));

    private static readonly ThriftStruct PageEncodingStats = new("PageEncodingStats", (1, I32), (2, I32), (3, I32));

    private static readonly ThriftStruct ColumnMetaData = new(
        "ColumnMetaData",
        (1, I32), (2, ListOf(ThriftKind.I32)), (3, ListOf(ThriftKind.Binary)), (4, I32), (5, I64), (6, I64), (7, I64), (8, ListOf(KeyValue)),
        (9, I64), (10, I64), (11, I64), (12, Struct(Statistics)), (13, ListOf(PageEncodingStats)), (14, I64), (15, I32),
        (16, Struct(SizeStatistics)), (17, Struct(GeospatialStatistics)));

    private static readonly ThriftStruct EncryptionWithColumnKey = new("EncryptionWithColumnKey", (1, ListOf(ThriftKind.Binary)), (2, Binary));

    private static readonly ThriftStruct ColumnCryptoMetaData = new("ColumnCryptoMetaData", (1, Struct(Empty)), (2, Struct(EncryptionWithColumnKey)));

    private static readonly ThriftStruct ColumnChunk = new(
        "ColumnChunk",
        (1, Binary), (2, I64), (3, Struct(ColumnMetaData)), (4, I64), (5, I32), (6, I64), (7, I32), (8, Struct(ColumnCryptoMetaData)), (9, Binary));

    private static readonly ThriftStruct RowGroup = new(
        "RowGroup", (1, ListOf(ColumnChunk)), (2, I64), (3, I64), (4, ListOf(SortingColumn)), (5, I64), (6, I64), (7, I16));

    private static readonly ThriftStruct ColumnOrder = new("ColumnOrder", (1, Struct(Empty)));

    private static readonly ThriftStruct AesGcm = new("AesGcmV1", (1, Binary), (2, Binary), (3, Bool));

    private static readonly ThriftStruct EncryptionAlgorithm = new("EncryptionAlgorithm", (1, Struct(AesGcm)), (2, Struct(AesGcm)));

    private static readonly ThriftStruct DataPageHeader = new("DataPageHeader", (1, I32), (2, I32), (3, I32), (4, I32), (5, Struct(Statistics)));

    private static readonly ThriftStruct DictionaryPageHeader = new("DictionaryPageHeader", (1, I32), (2, I32), (3, Bool));

    private static readonly ThriftStruct DataPageHeaderV2 = new(
        "DataPageHeaderV2", (1, I32), (2, I32), (3, I32), (4, I32), (5, I32), (6, I32), (7, Bool), (8, Struct(Statistics)));

    /// <summary>The footer: parquet.thrift's FileMetaData.</summary>
    public static ThriftStruct FileMetaData { get; } = new(
        "FileMetaData",
        (1, I32), (2, ListOf(SchemaElement)), (3, I64), (4, ListOf(RowGroup)), (5, ListOf(KeyValue)), (6, Binary), (7, ListOf(ColumnOrder)),
        (8, Struct(EncryptionAlgorithm)), (9, Binary));

    /// <summary>The header before every page of a column chunk: parquet.thrift's PageHeader.</summary>
    public static ThriftStruct PageHeader { get; } = new(
        "PageHeader",
        (1, I32), (2, I32), (3, I32), (4, I32), (5, Struct(DataPageHeader)), (6, Struct(Empty)), (7, Struct(DictionaryPageHeader)),
        (8, Struct(DataPageHeaderV2)));
}
