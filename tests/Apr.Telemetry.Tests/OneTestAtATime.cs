// Tests in this assembly run one at a time: a tracer provider listens to the process-wide "Apr" source,
// so a test running beside another would see its spans.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
