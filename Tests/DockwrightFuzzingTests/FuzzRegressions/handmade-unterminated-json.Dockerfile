FROM node
CMD ["node", "a.js"
RUN npm install
COPY . .
