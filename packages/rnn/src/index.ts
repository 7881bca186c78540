/**
 * `@fovea/rnn`: recurrent networks on TensorFlow.js — RNN, LSTM and GRU as
 * cells and as multi-layer, bidirectional, batch-first layers whose weights
 * load from PyTorch state dicts unchanged; truncated backpropagation through
 * time; sampling helpers and sequence models (character language model,
 * image-captioning decoder, seq2seq with attention).
 *
 * @packageDocumentation
 */
export { rnn, RNN, type RNNOptions, type RNNModuleOptions, type RNNNonlinearity } from './recurrent/rnn.js';
export { lstm, LSTM, type LSTMOptions } from './recurrent/lstm.js';
export { gru, GRU } from './recurrent/gru.js';
export { RNNBase, type RecurrentModuleOptions } from './recurrent/rnn-base.js';
export type { RecurrentOptions, RecurrentParams, RNNOutput, LSTMOutput } from './recurrent/options.js';

export { rnnCell, RNNCell, type RNNCellOptions } from './cells/rnn-cell.js';
export { lstmCell, LSTMCell, type LSTMCellState } from './cells/lstm-cell.js';
export { gruCell, GRUCell } from './cells/gru-cell.js';
export { CellBase, type CellWeights, type CellModuleOptions } from './cells/_cell-common.js';

export {
  truncatedBPTT,
  type TruncatedBPTTOptions,
  type TruncatedBPTTResult,
  type GradientApplier,
  type GradientClip,
  type WindowLog,
  type WindowResult,
  type ClippedGradients,
} from './training/truncated-bptt.js';

export { sampleLogits, type SampleLogitsOptions } from './sampling/sample-logits.js';
export { CharLM, type CharLMOptions, type CharLMOutput, type CharLMLoss, type CharLMSampleOptions } from './models/char-lm.js';
export { BahdanauAttention, type AttentionStep } from './models/bahdanau-attention.js';
export { CaptionDecoder, type CaptionDecoderOptions, type CaptionOutput } from './models/caption-decoder.js';
export { Seq2Seq, type Seq2SeqOptions, type Seq2SeqOutput } from './models/seq2seq.js';
