// Tests in this assembly run one at a time: torch's thread count is process-wide (each server's session
// sets it), the shipped-model tests load models of 1 GB of KV cache each, and the machine has 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
