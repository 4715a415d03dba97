import { fileDescriptorSetBase64 } from './gen/descriptor-set';

/**
 * The serialized google.protobuf.FileDescriptorSet of every contract (for server reflection).
 * A fresh Buffer each call, so a caller mutating it cannot corrupt another's copy.
 */
export function fileDescriptorSet(): Buffer {
  return Buffer.from(fileDescriptorSetBase64, 'base64');
}
