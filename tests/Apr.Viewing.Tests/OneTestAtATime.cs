// Tests in this assembly run one at a time: they solve with a no-model session, and torch's thread count
// (set by each session) is process-wide.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
