/**
 * `@fovea/rnn`: Recurrent networks: RNN, LSTM, GRU cells and layers (multi-layer, bidirectional), truncated BPTT, sequence models.
 *
 * @packageDocumentation
 */
export {};
